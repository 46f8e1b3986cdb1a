import {
  MODEL_CATALOG,
  TUNABLE_MODELS,
} from '@kaito-backstage/plugin-kaito-common';
import { loadTemplate } from './__testUtils__/templates';

/**
 * The KAITO pickers (plugins/kaito/src/fields) read their sibling fields by
 * these default names; a template that renames one must say so in ui:options.
 */
const SIBLINGS = ['model', 'instanceType', 'count', 'cluster'];

describe.each([
  ['kaito-workspace', MODEL_CATALOG.map(m => m.hfId)],
  ['kaito-tuning', [...TUNABLE_MODELS]],
])('%s uses the KAITO pickers with a plain fallback', (name, models) => {
  const step = (loadTemplate(name).spec as any).parameters[0];
  const props = step.properties;

  it('renders the model with KaitoModelPicker and keeps the enum', () => {
    expect(props.model['ui:field']).toBe('KaitoModelPicker');
    expect(props.model.type).toBe('string');
    expect(props.model.enum).toEqual(models);
    expect(props.model.enum).toContain(props.model.default);
  });

  it('renders the size with KaitoInstanceTypePicker and keeps the enum', () => {
    expect(props.instanceType['ui:field']).toBe('KaitoInstanceTypePicker');
    expect(props.instanceType.type).toBe('string');
    expect(props.instanceType.enum.length).toBeGreaterThan(0);
    expect(props.instanceType.enum).toContain(props.instanceType.default);
  });

  it('puts the siblings the pickers read in the same step, the model before the size', () => {
    const keys = Object.keys(props);
    for (const sibling of SIBLINGS.filter(s => s !== 'count')) {
      expect(keys).toContain(sibling);
    }
    expect(keys.indexOf('model')).toBeLessThan(keys.indexOf('instanceType'));
    const named = ['model', 'instanceType'].flatMap(field =>
      Object.entries(props[field]['ui:options'] ?? {})
        .filter(([key]) => /Field$/.test(key))
        .map(([, value]) => value),
    );
    expect(named.filter(value => !keys.includes(value as string))).toEqual([]);
  });
});
