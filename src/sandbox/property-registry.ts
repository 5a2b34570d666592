import { defaultProperties } from './default-properties.ts';
import {
  conflict,
  errorBody,
  HubSpotError,
  type PropertyProblem,
  propertyValuesInvalid,
  validationError,
} from './hubspot-errors.ts';
import type { LifecycleDatesMode } from './lifecycle.ts';
import type { ObjectTypeName } from './object-types.ts';
import {
  defaultGroups,
  type PropertyDefinition,
  type PropertyGroup,
  type PropertyOption,
  type PropertyType,
} from './property-definitions.ts';
import { normalizeValue, type StoredValue } from './property-values.ts';

/** HubSpot's allowed fieldTypes per type. */
const FIELD_TYPES: Record<PropertyType, readonly string[]> = {
  string: ['text', 'textarea', 'file', 'html', 'phonenumber', 'calculation_equation'],
  number: ['number', 'calculation_equation'],
  enumeration: ['select', 'radio', 'checkbox', 'booleancheckbox', 'calculation_equation'],
  bool: ['booleancheckbox', 'calculation_equation'],
  date: ['date'],
  datetime: ['date'],
  phone_number: ['phonenumber'],
};

export type PropertyInput = {
  name: string;
  label: string;
  type: PropertyType;
  fieldType: string;
  groupName: string;
  description?: string | undefined;
  options?:
    | {
        label: string;
        value: string;
        hidden: boolean;
        displayOrder?: number | undefined;
        description?: string | undefined;
      }[]
    | undefined;
  displayOrder?: number | undefined;
  hidden?: boolean | undefined;
  formField?: boolean | undefined;
  hasUniqueValue?: boolean | undefined;
  externalOptions?: boolean | undefined;
  numberDisplayHint?: string | undefined;
  showCurrencySymbol?: boolean | undefined;
};

export type PropertyPatch = Partial<Omit<PropertyInput, 'name' | 'hasUniqueValue' | 'externalOptions'>>;

export type WriteMode = { allowReadOnly: boolean };

function normalizeOptions(options: PropertyInput['options']): PropertyOption[] {
  return (options ?? []).map((o, i) => ({
    label: o.label,
    value: o.value,
    hidden: o.hidden,
    displayOrder: o.displayOrder ?? i,
    ...(o.description === undefined ? {} : { description: o.description }),
  }));
}

export class PropertyRegistry {
  readonly type: ObjectTypeName;
  readonly #properties = new Map<string, PropertyDefinition>();
  readonly #groups = new Map<string, PropertyGroup>();
  readonly #portalId: number;

  constructor(type: ObjectTypeName, mode: LifecycleDatesMode, currency: string, portalId: number) {
    this.type = type;
    this.#portalId = portalId;
    for (const p of defaultProperties(type, mode, currency)) this.#properties.set(p.name, p);
    for (const g of defaultGroups(type)) this.#groups.set(g.name, g);
  }

  get(name: string): PropertyDefinition | undefined {
    const p = this.#properties.get(name);
    return p?.archived ? undefined : p;
  }

  list(archived: boolean): PropertyDefinition[] {
    return [...this.#properties.values()].filter((p) => p.archived === archived);
  }

  groups(): PropertyGroup[] {
    return [...this.#groups.values()];
  }

  createGroup(input: { name: string; label: string; displayOrder?: number | undefined }): PropertyGroup {
    if (this.#groups.has(input.name))
      throw conflict(`A property group named '${input.name}' already exists.`);
    const group = {
      name: input.name,
      label: input.label,
      displayOrder: input.displayOrder ?? -1,
      archived: false,
    };
    this.#groups.set(group.name, group);
    return group;
  }

  create(input: PropertyInput, now: number): PropertyDefinition {
    if (this.#properties.has(input.name)) throw conflict(`Property named '${input.name}' already exists.`);
    this.#checkDefinition(input);
    const definition: PropertyDefinition = {
      name: input.name,
      label: input.label,
      type: input.type,
      fieldType: input.fieldType,
      groupName: input.groupName,
      description: input.description ?? '',
      options: normalizeOptions(input.options),
      displayOrder: input.displayOrder ?? -1,
      hidden: input.hidden ?? false,
      formField: input.formField ?? false,
      hasUniqueValue: input.hasUniqueValue ?? false,
      calculated: false,
      externalOptions: input.externalOptions ?? false,
      hubspotDefined: false,
      readOnlyValue: false,
      readOnlyDefinition: false,
      archived: false,
      createdAt: now,
      updatedAt: now,
      ...(input.numberDisplayHint === undefined ? {} : { numberDisplayHint: input.numberDisplayHint }),
      ...(input.showCurrencySymbol === undefined ? {} : { showCurrencySymbol: input.showCurrencySymbol }),
    };
    this.#properties.set(definition.name, definition);
    return definition;
  }

  update(name: string, patch: PropertyPatch, now: number): PropertyDefinition {
    const current = this.get(name);
    if (!current)
      throw new HubSpotError(404, errorBody('OBJECT_NOT_FOUND', `Unable to find property ${name}`));
    if (current.readOnlyDefinition && Object.keys(patch).some((k) => k !== 'options')) {
      throw validationError(
        `Property ${name} is a HubSpot-defined property; its definition cannot be changed.`,
      );
    }
    const { options, ...rest } = patch;
    const next: PropertyDefinition = { ...current, ...definedOnly(rest), updatedAt: now };
    if (options !== undefined) next.options = normalizeOptions(options);
    this.#checkDefinition({ ...next, options });
    this.#properties.set(name, next);
    return next;
  }

  #checkDefinition(
    input: Pick<PropertyInput, 'name' | 'type' | 'fieldType' | 'groupName' | 'options'>,
  ): void {
    if (!/^[a-z][a-z0-9_]*$/.test(input.name)) {
      throw validationError(
        `Property name '${input.name}' is not valid: use lowercase letters, digits and underscores.`,
      );
    }
    if (!FIELD_TYPES[input.type].includes(input.fieldType)) {
      throw validationError(`Invalid fieldType '${input.fieldType}' for property type '${input.type}'.`);
    }
    if (!this.#groups.has(input.groupName)) {
      throw validationError(`Property group '${input.groupName}' does not exist.`);
    }
    if (
      input.type === 'enumeration' &&
      (input.options ?? []).length === 0 &&
      input.fieldType !== 'booleancheckbox'
    ) {
      throw validationError(`Enumeration property '${input.name}' needs at least one option.`);
    }
  }

  /**
   * Checks a write the way HubSpot does: every problem is collected and the whole write is
   * refused with one "Property values were not valid" list.
   */
  validateWrite(
    properties: Record<string, string | null>,
    mode: WriteMode,
  ): Map<string, StoredValue | undefined> {
    const problems: PropertyProblem[] = [];
    const values = new Map<string, StoredValue | undefined>();
    for (const [name, raw] of Object.entries(properties)) {
      const def = this.get(name);
      if (!def) {
        problems.push({ name, error: 'PROPERTY_DOESNT_EXIST', message: `Property "${name}" does not exist` });
      } else if (def.readOnlyValue && !mode.allowReadOnly) {
        problems.push({
          name,
          error: 'READ_ONLY_VALUE',
          message: `"${name}" is a read only property; its value cannot be set.`,
        });
      } else {
        const result = normalizeValue(def, raw);
        if ('problem' in result) problems.push(result.problem);
        else values.set(name, result.value);
      }
    }
    if (problems.length > 0) throw propertyValuesInvalid(problems, this.#portalId);
    return values;
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
