import { ConversationSettings } from '@kaito-backstage/plugin-kaito-common';
import { KaitoChatModel } from '@kaito-backstage/plugin-kaito-react';
import Box from '@material-ui/core/Box';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import { useEffect, useState } from 'react';

interface NumberField {
  key: 'temperature' | 'top_p' | 'max_tokens';
  label: string;
  min: number;
  max?: number;
  step: number;
  integer?: boolean;
  help: string;
}

const NUMBER_FIELDS: NumberField[] = [
  {
    key: 'temperature',
    label: 'Temperature',
    min: 0,
    max: 2,
    step: 0.1,
    help: '0 to 2; empty uses the model default',
  },
  {
    key: 'top_p',
    label: 'Top p',
    min: 0,
    max: 1,
    step: 0.05,
    help: '0 to 1; empty uses the model default',
  },
  {
    key: 'max_tokens',
    label: 'Max tokens',
    min: 1,
    step: 1,
    integer: true,
    help: 'Longest answer, in tokens; empty uses the portal limit',
  },
];

/** Why a typed value cannot be used, or undefined when it can. */
export function settingProblem(field: NumberField, raw: string) {
  if (raw.trim() === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) return `${field.label} must be a number`;
  if (field.integer && !Number.isInteger(value))
    return `${field.label} must be a whole number`;
  if (value < field.min || (field.max !== undefined && value > field.max)) {
    return `${field.label} must be between ${field.min} and ${
      field.max ?? 'the portal limit'
    }`;
  }
  return undefined;
}

/**
 * The conversation's settings: system prompt, temperature, top_p, max tokens,
 * and the model when the endpoint serves more than one. Values apply from the
 * next message and are saved with the conversation.
 */
export function ChatSettings(props: {
  settings: ConversationSettings;
  onChange: (settings: ConversationSettings) => void;
  models: KaitoChatModel[];
  model?: string;
  onModelChange: (model: string) => void;
}) {
  const { settings, onChange, models, model, onModelChange } = props;
  const [raw, setRaw] = useState<Record<string, string>>({});

  // A loaded conversation brings its own values.
  useEffect(() => {
    setRaw(
      Object.fromEntries(
        NUMBER_FIELDS.map(f => [f.key, settings[f.key]?.toString() ?? '']),
      ),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [settings.temperature, settings.top_p, settings.max_tokens]);

  const setNumber = (field: NumberField, value: string) => {
    setRaw(r => ({ ...r, [field.key]: value }));
    if (settingProblem(field, value)) return;
    const next = { ...settings };
    if (value.trim() === '') delete next[field.key];
    else next[field.key] = Number(value);
    onChange(next);
  };

  return (
    <Box
      component="section"
      aria-label="Chat settings"
      display="flex"
      flexDirection="column"
      gridGap={12}
      py={1}
    >
      {models.length > 1 && (
        <TextField
          select
          id="kaito-chat-model"
          label="Model"
          variant="outlined"
          size="small"
          value={model ?? ''}
          onChange={e => onModelChange(e.target.value)}
        >
          {models.map(m => (
            <MenuItem key={m.id} value={m.id}>
              {m.id}
            </MenuItem>
          ))}
        </TextField>
      )}
      <TextField
        id="kaito-chat-system-prompt"
        label="System prompt"
        variant="outlined"
        size="small"
        multiline
        minRows={2}
        maxRows={6}
        value={settings.systemPrompt ?? ''}
        helperText="Sent first with every request of this conversation"
        onChange={e => {
          const { systemPrompt: _old, ...rest } = settings;
          onChange(
            e.target.value ? { ...rest, systemPrompt: e.target.value } : rest,
          );
        }}
      />
      <Box display="flex" gridGap={12} flexWrap="wrap">
        {NUMBER_FIELDS.map(f => {
          const problem = settingProblem(f, raw[f.key] ?? '');
          return (
            <TextField
              key={f.key}
              id={`kaito-chat-${f.key}`}
              label={f.label}
              type="number"
              variant="outlined"
              size="small"
              value={raw[f.key] ?? ''}
              error={problem !== undefined}
              helperText={problem ?? f.help}
              inputProps={{ min: f.min, max: f.max, step: f.step }}
              onChange={e => setNumber(f, e.target.value)}
            />
          );
        })}
      </Box>
    </Box>
  );
}
