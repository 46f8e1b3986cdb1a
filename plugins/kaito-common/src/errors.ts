/** One problem found in a manifest or input: the field path and how to fix it. */
export interface ValidationIssue {
  /** Dotted path, e.g. `resource.instanceType` or `inference.adapters[0].strength`. */
  field: string;
  /** Plain-words problem plus the fix. */
  message: string;
  /**
   * `warning`: a rule where this project is stricter than KAITO's webhook;
   * the user may override it with `override` (an option of validateWorkspace).
   * Absent: an error KAITO itself would raise.
   */
  severity?: 'warning';
  /** The `overrides` key that turns this warning off. */
  override?: WorkspaceRuleOverride;
}

/** Project rules stricter than KAITO's webhook, which a user may override. */
export type WorkspaceRuleOverride = 'unknownInstanceType' | 'untunableModel';

/** Thrown by the builders when their input would not pass KAITO's webhook. */
export class KaitoValidationError extends Error {
  readonly name = 'KaitoValidationError';
  readonly issues: ValidationIssue[];

  constructor(issues: ValidationIssue[], what = 'KAITO manifest') {
    super(
      `Invalid ${what}: ${issues
        .map(i => `${i.field}: ${i.message}`)
        .join('; ')}`,
    );
    this.issues = issues;
  }
}

/** Thrown when a `kaito.sh/*` catalog annotation is malformed. */
export class KaitoAnnotationError extends Error {
  readonly name = 'KaitoAnnotationError';
  /** The annotation key at fault. */
  readonly annotation: string;

  constructor(annotation: string, message: string) {
    super(message);
    this.annotation = annotation;
  }
}
