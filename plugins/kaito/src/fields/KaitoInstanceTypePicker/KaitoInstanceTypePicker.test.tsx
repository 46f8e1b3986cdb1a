import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import {
  cheapestFit,
  findModel,
  findSku,
  instanceTypeOptions,
  PriceTable,
} from '@kaito-backstage/plugin-kaito-common';
import { kaitoCatalogApiRef } from '@kaito-backstage/plugin-kaito-react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import {
  catalogFetchApi,
  CatalogBackendOptions,
} from '../__testUtils__/catalogBackend';
import { FieldsHarness } from '../__testUtils__/FieldsHarness';
import { formatPerHour } from '../shared/sizes';

const PHI = 'microsoft/Phi-4-mini-instruct';
const LLAMA = 'meta-llama/Llama-3.3-70B-Instruct';

/** kaito-common's own answer, to compare the picker with. */
function expected(model: string, region = 'eastus') {
  const options = instanceTypeOptions({
    model: findModel(model)!,
    region,
    prices: PriceTable.builtIn(),
  });
  return { options, cheapest: cheapestFit(options)! };
}

async function render(
  initial: Record<string, unknown>,
  backend: CatalogBackendOptions = {},
) {
  const { client, requests } = catalogFetchApi(backend);
  let values: Record<string, unknown> = initial;
  await renderInTestApp(
    <TestApiProvider apis={[[kaitoCatalogApiRef, client]]}>
      <FieldsHarness initial={initial} onValues={v => (values = v)} />
    </TestApiProvider>,
  );
  return { requests, values: () => values };
}

const details = () => screen.findByTestId('kaito-instance-type-details');

async function openSizes() {
  const input = screen.getByRole('textbox', { name: /GPU instance type/ });
  fireEvent.mouseDown(input);
  return screen.findByRole('listbox');
}

// A 2-core CI runs two workers: MUI renders of 60 options take seconds there.
jest.setTimeout(60_000);

describe('KaitoInstanceTypePicker', () => {
  it('preselects the cheapest size that fits and shows its nodes and cost', async () => {
    const { cheapest } = expected(PHI);
    const h = await render({
      model: PHI,
      instanceType: 'Standard_NC24ads_A100_v4', // the template default
    });
    await waitFor(() =>
      expect(h.values().instanceType).toBe(cheapest.sku.instanceType),
    );
    const panel = await details();
    await waitFor(() =>
      expect(panel).toHaveTextContent(cheapest.sku.instanceType),
    );
    expect(panel).toHaveTextContent('cheapest that fits');
    expect(
      within(panel).getByTestId('kaito-instance-type-nodes'),
    ).toHaveTextContent('1 node');
    expect(
      within(panel).getByTestId('kaito-instance-type-cost'),
    ).toHaveTextContent(
      `Cost: ${formatPerHour(cheapest.cost!.perHour)} for 1 node`,
    );
    expect(panel).toHaveTextContent(
      `${cheapest.sku.gpuCount}× ${cheapest.sku.gpuModel}, ${cheapest.sku.gpuMemoryGiB} GiB GPU memory`,
    );
  });

  it('costs every node a large model needs', async () => {
    const { cheapest } = expected(LLAMA);
    expect(cheapest.nodes).toBeGreaterThan(1);
    const h = await render({ model: LLAMA });
    await waitFor(() =>
      expect(h.values().instanceType).toBe(cheapest.sku.instanceType),
    );
    const panel = await details();
    await waitFor(() =>
      expect(
        within(panel).getByTestId('kaito-instance-type-nodes'),
      ).toHaveTextContent(`${cheapest.nodes} nodes`),
    );
    expect(
      within(panel).getByTestId('kaito-instance-type-cost'),
    ).toHaveTextContent(
      `${formatPerHour(cheapest.cost!.perHour)} for ${
        cheapest.nodes
      } nodes (${formatPerHour(
        cheapest.cost!.perNodeHour,
      )} per node, eastus approximate list price`,
    );
  });

  it('keeps misfit and retired sizes visible but disabled, with the reason', async () => {
    const { options } = expected(PHI);
    const misfit = options.find(o => o.sku.supported && !o.usable)!;
    const retired = options.find(o => !o.sku.supported)!;
    await render({ model: PHI });
    await details();
    const listbox = await openSizes();
    // the open combobox names its popup (axe aria-required-attr)
    expect(
      document.querySelector('[aria-controls="root_instanceType-popup"]'),
    ).toHaveAttribute('role', 'combobox');
    expect(listbox).toHaveAttribute('id', 'root_instanceType-popup');
    const misfitOption = within(listbox)
      .getByTestId(`kaito-size-option-${misfit.sku.instanceType}`)
      .closest('li')!;
    expect(misfitOption).toHaveAttribute('aria-disabled', 'true');
    expect(misfitOption).toHaveTextContent(`Does not fit: ${misfit.reason}`);
    const retiredOption = within(listbox)
      .getByTestId(`kaito-size-option-${retired.sku.instanceType}`)
      .closest('li')!;
    expect(retiredOption).toHaveAttribute('aria-disabled', 'true');
    expect(retiredOption).toHaveTextContent('(retired)');
    expect(retiredOption).toHaveTextContent(retired.sku.unsupportedReason!);
    // a fitting size is enabled and shows nodes and cost
    const fitting = within(listbox)
      .getByTestId(`kaito-size-option-${options[2].sku.instanceType}`)
      .closest('li')!;
    expect(fitting).toHaveAttribute('aria-disabled', 'false');
    expect(fitting).toHaveTextContent(
      `1 node · ${formatPerHour(options[2].cost!.perHour)}`,
    );
  });

  it('explains a misfit when the GPU node count is below what the model needs', async () => {
    const { options } = expected(LLAMA);
    const twoNodes = options.find(o => o.nodes === 2 && o.cost)!;
    await render({
      model: LLAMA,
      instanceType: twoNodes.sku.instanceType, // the user's own choice
      count: 1,
    });
    const panel = await details();
    await waitFor(() =>
      expect(
        within(panel).getByTestId('kaito-instance-type-reason'),
      ).toHaveTextContent(
        `Does not fit ${LLAMA}: ${LLAMA} needs 2 ${twoNodes.sku.instanceType} nodes, but GPU nodes is set to 1`,
      ),
    );
  });

  it('shows quota headroom and prefers a size whose quota is enough', async () => {
    const { cheapest } = expected(PHI);
    const a10 = findSku(cheapest.sku.instanceType)!;
    const a100 = findSku('Standard_NC24ads_A100_v4')!;
    const quota = {
      [a10.quotaFamily!.toLowerCase()]: {
        limit: a10.vCPUs + 10,
        used: a10.vCPUs,
      },
      [a100.quotaFamily!.toLowerCase()]: { limit: 96, used: 24 },
    };
    const h = await render({ model: PHI }, { quota });
    // the A10 is cheaper but its family has only 10 vCPUs left
    await waitFor(() =>
      expect(h.values().instanceType).toBe('Standard_NC24ads_A100_v4'),
    );
    const panel = await details();
    await waitFor(() =>
      expect(
        within(panel).getByTestId('kaito-instance-type-quota'),
      ).toHaveTextContent(
        `Quota: needs ${a100.vCPUs} of 72 available vCPUs (${a100.quotaFamily}) in eastus.`,
      ),
    );
    const listbox = await openSizes();
    const a10Option = within(listbox)
      .getByTestId(`kaito-size-option-${a10.instanceType}`)
      .closest('li')!;
    expect(a10Option).toHaveTextContent(
      `Quota short: needs ${a10.vCPUs} vCPUs of ${a10.quotaFamily}, 10 available`,
    );
    fireEvent.click(a10Option);
    await waitFor(() => expect(h.values().instanceType).toBe(a10.instanceType));
    expect(
      within(await details()).getByTestId('kaito-instance-type-quota'),
    ).toHaveTextContent('the deployment would fail with QuotaExceeded');
  });
});
