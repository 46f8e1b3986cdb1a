import { ArmError } from './errors';
import { REGIONS, normalizeLocation } from './data';
import { ArmRoute } from './types';

interface Group {
  name: string;
  location: string;
  tags?: Record<string, string>;
}

/**
 * Resource groups (Microsoft.Resources): PUT (create or update) and GET.
 * Managed clusters do not require them (the simulator stays permissive),
 * but a client that creates one can read it back.
 */
export class ResourceGroups {
  readonly #groups = new Map<string, Group>();

  constructor(private readonly subscriptionId: string) {}

  has(name: string) {
    return this.#groups.has(name.toLowerCase());
  }

  #view(g: Group) {
    return {
      id: `/subscriptions/${this.subscriptionId}/resourceGroups/${g.name}`,
      name: g.name,
      type: 'Microsoft.Resources/resourceGroups',
      location: g.location,
      ...(g.tags ? { tags: g.tags } : {}),
      properties: { provisioningState: 'Succeeded' },
    };
  }

  routes(): ArmRoute[] {
    return [
      {
        path: 'resourcegroups/{resourceGroup}',
        methods: {
          GET: req => {
            const g = this.#groups.get(req.params.resourceGroup.toLowerCase());
            if (!g) {
              throw new ArmError(
                404,
                'ResourceGroupNotFound',
                `Resource group '${req.params.resourceGroup}' could not be found.`,
              );
            }
            return { status: 200, body: this.#view(g) };
          },
          PUT: req => {
            const name = req.params.resourceGroup;
            if (!/^[-\w._()]{1,90}$/.test(name) || name.endsWith('.')) {
              throw new ArmError(
                400,
                'InvalidResourceGroupName',
                `Resource group name '${name}' is invalid: use 1-90 letters, digits, '-', '_', '.', '(' and ')', not ending in '.'.`,
              );
            }
            const body = req.json() as { location?: unknown; tags?: unknown };
            if (typeof body?.location !== 'string' || !body.location) {
              throw new ArmError(
                400,
                'LocationRequired',
                'The location property is required for this definition.',
              );
            }
            const location = normalizeLocation(body.location);
            if (!REGIONS.includes(location as (typeof REGIONS)[number])) {
              throw new ArmError(
                400,
                'LocationNotAvailableForResourceType',
                `The provided location '${
                  body.location
                }' is not available for resource type 'Microsoft.Resources/resourceGroups'. List of available regions is '${REGIONS.join(
                  ',',
                )}'.`,
              );
            }
            const existing = this.#groups.get(name.toLowerCase());
            if (existing && existing.location !== location) {
              throw new ArmError(
                409,
                'InvalidResourceGroupLocation',
                `Invalid resource group location '${location}'. The Resource group already exists in location '${existing.location}'.`,
              );
            }
            const g: Group = {
              name: existing?.name ?? name,
              location,
              tags:
                body.tags && typeof body.tags === 'object'
                  ? (body.tags as Record<string, string>)
                  : existing?.tags,
            };
            this.#groups.set(name.toLowerCase(), g);
            return { status: existing ? 200 : 201, body: this.#view(g) };
          },
        },
      },
    ];
  }
}
