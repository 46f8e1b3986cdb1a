import { HttpError, ValidationItem } from './errors';

/**
 * Pydantic-style checks of the engine's request models (`models.py`), so a
 * bad body or query gets FastAPI's 422 with one item per problem.
 */

type Loc = Array<string | number>;

export class Checks {
  readonly items: ValidationItem[] = [];

  missing(loc: Loc, input: unknown): void {
    this.items.push({ type: 'missing', loc, msg: 'Field required', input });
  }

  wrong(
    loc: Loc,
    type: string,
    msg: string,
    input: unknown,
    ctx?: Record<string, unknown>,
  ): void {
    this.items.push({ type, loc, msg, input, ...(ctx ? { ctx } : {}) });
  }

  string(
    loc: Loc,
    v: unknown,
    parent: unknown,
    required = true,
  ): string | undefined {
    if (v === undefined) {
      if (required) this.missing(loc, parent);
      return undefined;
    }
    if (typeof v !== 'string') {
      this.wrong(loc, 'string_type', 'Input should be a valid string', v);
      return undefined;
    }
    return v;
  }

  dict(
    loc: Loc,
    v: unknown,
    nullable: boolean,
  ): Record<string, unknown> | null | undefined {
    if (v === undefined || (v === null && nullable))
      return v as null | undefined;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      this.wrong(loc, 'dict_type', 'Input should be a valid dictionary', v);
      return undefined;
    }
    return v as Record<string, unknown>;
  }

  list(loc: Loc, v: unknown, parent: unknown): unknown[] | undefined {
    if (v === undefined) {
      this.missing(loc, parent);
      return undefined;
    }
    if (!Array.isArray(v)) {
      this.wrong(loc, 'list_type', 'Input should be a valid list', v);
      return undefined;
    }
    return v;
  }

  /** An integer with optional bounds; `raw` may be a query string. */
  int(
    loc: Loc,
    raw: unknown,
    bounds: { ge?: number; le?: number },
  ): number | undefined {
    const n =
      typeof raw === 'string' && /^\s*[+-]?\d+\s*$/.test(raw)
        ? Number(raw)
        : raw;
    if (typeof n !== 'number' || !Number.isInteger(n)) {
      this.wrong(
        loc,
        'int_parsing',
        typeof raw === 'string'
          ? 'Input should be a valid integer, unable to parse string as an integer'
          : 'Input should be a valid integer',
        raw,
      );
      return undefined;
    }
    if (bounds.ge !== undefined && n < bounds.ge) {
      this.wrong(
        loc,
        'greater_than_equal',
        `Input should be greater than or equal to ${bounds.ge}`,
        raw,
        { ge: bounds.ge },
      );
      return undefined;
    }
    if (bounds.le !== undefined && n > bounds.le) {
      this.wrong(
        loc,
        'less_than_equal',
        `Input should be less than or equal to ${bounds.le}`,
        raw,
        { le: bounds.le },
      );
      return undefined;
    }
    return n;
  }

  /** `Document`: text required, doc_id and metadata optional. */
  documents(loc: Loc, v: unknown, parent: unknown) {
    const docs = this.list(loc, v, parent) ?? [];
    return docs.map((d, i) => {
      const dl = [...loc, i];
      const obj = this.dict(dl, d, false);
      if (!obj) return undefined;
      const text = this.string([...dl, 'text'], obj.text, obj);
      const docId =
        obj.doc_id === undefined
          ? ''
          : this.string([...dl, 'doc_id'], obj.doc_id, obj);
      const metadata = this.dict([...dl, 'metadata'], obj.metadata, true);
      return text === undefined
        ? undefined
        : {
            doc_id: docId ?? '',
            text,
            ...(obj.metadata === undefined
              ? {}
              : { metadata: metadata ?? null }),
          };
    });
  }

  done(): void {
    if (this.items.length) throw new HttpError(422, this.items);
  }
}

/** A JSON body that must be an object (a pydantic model). */
export function bodyObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(422, [
      {
        type: 'model_attributes_type',
        loc: ['body'],
        msg: 'Input should be a valid dictionary or object to extract fields from',
        input: body,
      },
    ]);
  }
  return body as Record<string, unknown>;
}
