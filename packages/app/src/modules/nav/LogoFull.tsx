import { makeStyles } from '@material-ui/core';
import { LogoIcon } from './LogoIcon';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    alignItems: 'center',
    gap: 8,
    color: '#fff',
    whiteSpace: 'nowrap',
  },
  name: {
    fontSize: 17,
    fontWeight: 700,
    lineHeight: 1.1,
  },
  sub: {
    display: 'block',
    fontSize: 11,
    fontWeight: 400,
    color: '#7df3e1',
  },
});

/** The product mark with its name, for the open sidebar. */
export const LogoFull = () => {
  const classes = useStyles();
  return (
    <span className={classes.root}>
      <LogoIcon />
      <span className={classes.name}>
        Kaito <span className={classes.sub}>for Backstage</span>
      </span>
    </span>
  );
};
