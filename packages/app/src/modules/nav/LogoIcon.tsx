import { makeStyles } from '@material-ui/core';

const useStyles = makeStyles({
  svg: {
    width: 'auto',
    height: 28,
  },
});

/**
 * The product mark: a GPU chip (a square with pins) holding a speech bubble, for "models you
 * deploy and chat with".
 */
export const LogoIcon = () => {
  const classes = useStyles();
  return (
    <svg
      className={classes.svg}
      xmlns="http://www.w3.org/2000/svg"
      viewBox="0 0 40 40"
      role="img"
      aria-label="Kaito for Backstage"
    >
      <g stroke="#7df3e1" strokeWidth="2.5" strokeLinecap="round">
        <path d="M12 3v5M20 3v5M28 3v5M12 32v5M20 32v5M28 32v5M3 12h5M3 20h5M3 28h5M32 12h5M32 20h5M32 28h5" />
      </g>
      <rect x="8" y="8" width="24" height="24" rx="4" fill="#7df3e1" />
      <path
        d="M13.5 14h13a1.5 1.5 0 0 1 1.5 1.5v7a1.5 1.5 0 0 1-1.5 1.5H19l-4 3.5V24h-1.5a1.5 1.5 0 0 1-1.5-1.5v-7a1.5 1.5 0 0 1 1.5-1.5z"
        fill="#1f2a36"
      />
    </svg>
  );
};
