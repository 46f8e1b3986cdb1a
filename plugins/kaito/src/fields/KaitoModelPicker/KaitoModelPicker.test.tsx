import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import {
  findModel,
  instanceTypeOptions,
  MODEL_CATALOG,
  PriceTable,
  TUNABLE_MODELS,
} from '@kaito-backstage/plugin-kaito-common';
import { kaitoCatalogApiRef } from '@kaito-backstage/plugin-kaito-react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { catalogFetchApi } from '../__testUtils__/catalogBackend';
import { FieldsHarness } from '../__testUtils__/FieldsHarness';
import { formatPerHour } from '../shared/sizes';
import { formatContext } from './modelText';

const PHI = 'microsoft/Phi-4-mini-instruct';
const LLAMA = 'meta-llama/Llama-3.3-70B-Instruct';
const NC48 = 'Standard_NC48ads_A100_v4';

async function render(initial: Record<string, unknown>, modelEnum?: string[]) {
  const { client } = catalogFetchApi();
  let values: Record<string, unknown> = initial;
  await renderInTestApp(
    <TestApiProvider apis={[[kaitoCatalogApiRef, client]]}>
      <FieldsHarness
        initial={initial}
        modelEnum={modelEnum}
        onValues={v => (values = v)}
      />
    </TestApiProvider>,
  );
  return { values: () => values };
}

const modelInput = () => screen.getByRole('textbox', { name: /^Model/ });

async function openModels() {
  fireEvent.mouseDown(modelInput());
  return screen.findByRole('listbox');
}

// A 2-core CI runs two workers: MUI renders of 60 options take seconds there.
jest.setTimeout(60_000);

describe('KaitoModelPicker', () => {
  it('lists the catalog with size, context, runtimes, tuning and gated marks', async () => {
    await render({ model: PHI });
    const listbox = await openModels();
    await waitFor(() =>
      expect(within(listbox).getAllByRole('option')).toHaveLength(
        MODEL_CATALOG.length,
      ),
    );
    const llama = findModel(LLAMA)!;
    const option = within(listbox).getByTestId(`kaito-model-option-${LLAMA}`);
    expect(option).toHaveTextContent(`${LLAMA} (gated)`);
    expect(option).toHaveTextContent(`${llama.weightSizeGiB} GiB weights`);
    expect(option).toHaveTextContent(
      `${formatContext(llama.contextLength)} context`,
    );
    expect(option).toHaveTextContent(
      llama.runtimes.includes('transformers') ? 'vLLM, Transformers' : 'vLLM',
    );
    expect(option).toHaveTextContent(
      llama.tuningMethods.length ? 'tuning: LoRA, QLoRA' : 'no tuning',
    );
    const phi = within(listbox).getByTestId(`kaito-model-option-${PHI}`);
    expect(phi).not.toHaveTextContent('gated');
  });

  it('searches the catalog', async () => {
    await render({});
    await openModels();
    fireEvent.change(modelInput(), { target: { value: 'coder' } });
    const listbox = await screen.findByRole('listbox');
    const expected = MODEL_CATALOG.filter(m =>
      `${m.hfId} ${m.servedName} ${m.task}`.toLowerCase().includes('coder'),
    ).map(m => m.hfId);
    expect(expected.length).toBeGreaterThan(0);
    await waitFor(() =>
      expect(
        within(listbox)
          .getAllByRole('option')
          .map(o => o.querySelector('strong')!.textContent),
      ).toEqual(expected),
    );
  });

  it('marks a gated model and says what it needs', async () => {
    const h = await render({ model: PHI });
    const listbox = await openModels();
    fireEvent.click(within(listbox).getByTestId(`kaito-model-option-${LLAMA}`));
    await waitFor(() => expect(h.values().model).toBe(LLAMA));
    expect(await screen.findByTestId('kaito-model-gated')).toHaveTextContent(
      'Gated on Hugging Face: the workspace needs a Secret with an HF_TOKEN',
    );
  });

  it('badges the fit on the chosen size with nodes and cost', async () => {
    const nc48 = instanceTypeOptions({
      model: findModel(LLAMA)!,
      region: 'eastus',
      prices: PriceTable.builtIn(),
    }).find(o => o.sku.instanceType === NC48)!;
    await render({ model: LLAMA, instanceType: NC48 });
    const badge = await screen.findByTestId('kaito-model-fit');
    expect(badge).toHaveAttribute('data-fit', 'fits');
    expect(badge).toHaveTextContent(
      `Fits ${NC48}: ${nc48.nodes} nodes · ${formatPerHour(
        nc48.cost!.perHour,
      )}`,
    );
  });

  it('badges a misfit with the reason', async () => {
    await render({ model: LLAMA, instanceType: NC48, count: 1 });
    const badge = await screen.findByTestId('kaito-model-fit');
    expect(badge).toHaveAttribute('data-fit', 'misfit');
    expect(badge).toHaveTextContent(
      `Does not fit ${NC48}: ${LLAMA} needs 2 ${NC48} nodes, but GPU nodes is set to 1`,
    );
  });

  it("offers only the template's enum (tunable models for tuning)", async () => {
    await render({ model: PHI }, [...TUNABLE_MODELS]);
    const listbox = await openModels();
    await waitFor(() =>
      expect(within(listbox).getAllByRole('option')).toHaveLength(
        TUNABLE_MODELS.length,
      ),
    );
  });
});
