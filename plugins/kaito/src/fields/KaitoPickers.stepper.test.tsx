import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { Stepper } from '@backstage/plugin-scaffolder-react/alpha';
import { kaitoCatalogApiRef } from '@kaito-backstage/plugin-kaito-react';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { catalogFetchApi } from './__testUtils__/catalogBackend';
import { kaitoFieldExtensionOptions } from '.';

jest.setTimeout(60_000);

// The stepper scrolls to the top on each step; jsdom has no layout.
beforeAll(() => {
  window.scrollTo = jest.fn() as any;
});

const LLAMA = 'meta-llama/Llama-3.3-70B-Instruct';
const NC48 = 'Standard_NC48ads_A100_v4';

/** The kaito-workspace template's model step, reduced to the picked fields. */
const manifest = {
  title: 'Deploy a model with KAITO',
  steps: [
    {
      title: 'Model',
      schema: {
        type: 'object',
        required: ['model', 'instanceType'],
        properties: {
          model: {
            title: 'Model',
            type: 'string',
            'ui:field': 'KaitoModelPicker',
          },
          instanceType: {
            title: 'GPU instance type',
            type: 'string',
            'ui:field': 'KaitoInstanceTypePicker',
          },
          count: { title: 'GPU nodes', type: 'integer', minimum: 1 },
        },
      },
    },
  ],
};

async function renderStepper(initialState: Record<string, any>) {
  const { client } = catalogFetchApi();
  const onCreate = jest.fn(async () => {});
  await renderInTestApp(
    <TestApiProvider apis={[[kaitoCatalogApiRef, client]]}>
      <Stepper
        manifest={manifest as any}
        extensions={kaitoFieldExtensionOptions}
        initialState={initialState}
        onCreate={onCreate}
      />
    </TestApiProvider>,
  );
  return onCreate;
}

describe('the pickers in the scaffolder form', () => {
  it('a misfit blocks Review with the reason from both pickers', async () => {
    await renderStepper({ model: LLAMA, instanceType: NC48, count: 1 });
    await screen.findByTestId('kaito-instance-type-details');
    fireEvent.click(screen.getByRole('button', { name: 'Review' }));
    const reason = `${LLAMA} needs 2 ${NC48} nodes, but GPU nodes is set to 1`;
    expect(
      (await screen.findAllByText(new RegExp(`${NC48} cannot run ${LLAMA}`)))
        .length,
    ).toBeGreaterThan(0);
    expect(
      screen.getAllByText(new RegExp(`${LLAMA} does not fit ${NC48}`)).length,
    ).toBeGreaterThan(0);
    expect(screen.getAllByText(new RegExp(reason)).length).toBeGreaterThan(0);
    expect(
      screen.getByTestId('kaito-instance-type-picker'),
    ).toBeInTheDocument();
  });

  it('a fitting choice passes to the review', async () => {
    await renderStepper({ model: LLAMA, instanceType: NC48 });
    await screen.findByTestId('kaito-instance-type-details');
    fireEvent.click(screen.getByRole('button', { name: 'Review' }));
    await waitFor(() =>
      expect(screen.queryByTestId('kaito-instance-type-picker')).toBeNull(),
    );
    expect(screen.getByRole('button', { name: 'Create' })).toBeInTheDocument();
    expect(screen.getByText(NC48)).toBeInTheDocument();
  });
});
