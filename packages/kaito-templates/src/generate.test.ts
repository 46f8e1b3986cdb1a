import {
  MODEL_CATALOG,
  SKU_TABLE,
  TUNABLE_MODELS,
} from '@kaito-backstage/plugin-kaito-common';
import { parse } from 'yaml';
import fs from 'node:fs';
import path from 'node:path';
import { generatedLists } from './enums';
import { TEMPLATES_DIR, driftedFiles, renderGeneratedBlocks } from './generate';

describe('generated template lists', () => {
  it('the committed templates match kaito-common (run `yarn workspace @kaito-backstage/kaito-templates generate`)', () => {
    expect(driftedFiles()).toEqual([]);
  });

  it('a catalog change shows up as drift', () => {
    const text = fs.readFileSync(
      path.join(TEMPLATES_DIR, 'kaito-workspace', 'template.yaml'),
      'utf8',
    );
    const stale = text.replace(/^\s*- microsoft\/phi-4\n/m, '\n');
    expect(stale).not.toBe(text);
    expect(renderGeneratedBlocks(stale)).toBe(text);
  });

  it('offers every catalog model, only tunable models for tuning, and no retired size', () => {
    const workspace = parse(
      fs.readFileSync(
        path.join(TEMPLATES_DIR, 'kaito-workspace', 'template.yaml'),
        'utf8',
      ),
    );
    const tuning = parse(
      fs.readFileSync(
        path.join(TEMPLATES_DIR, 'kaito-tuning', 'template.yaml'),
        'utf8',
      ),
    );
    const props = workspace.spec.parameters[0].properties;
    expect(props.model.enum).toEqual(MODEL_CATALOG.map(m => m.hfId));
    expect(tuning.spec.parameters[0].properties.model.enum).toEqual([
      ...TUNABLE_MODELS,
    ]);
    const retired = SKU_TABLE.filter(s => !s.supported).map(
      s => s.instanceType,
    );
    expect(retired.length).toBeGreaterThan(0);
    expect(
      props.instanceType.enum.filter((s: string) => retired.includes(s)),
    ).toEqual([]);
    const gated =
      workspace.spec.parameters[0].allOf[0].if.properties.model.enum;
    expect(gated).toEqual(generatedLists()['gated-models']);
    expect(gated.length).toBeGreaterThan(0);
  });

  it('rejects an unknown list name', () => {
    expect(() =>
      renderGeneratedBlocks('x:\n  # generated:nope\n  # end generated:nope\n'),
    ).toThrow(/Unknown generated list 'nope'/);
  });
});
