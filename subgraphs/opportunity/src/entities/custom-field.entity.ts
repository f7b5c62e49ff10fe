import { columns } from '@dcrm/kit';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

export const CUSTOM_FIELD_ENTITIES = ['OPPORTUNITY', 'LEAD'] as const;
export type CustomFieldEntity = (typeof CUSTOM_FIELD_ENTITIES)[number];
export const CUSTOM_FIELD_TYPES = ['TEXT', 'NUMBER', 'DATE', 'BOOLEAN', 'SELECT'] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];

/** An operator-specific field of leads or opportunities, defined per storefront. */
export const CustomFieldDefinition = defineEntity({
  name: 'CustomFieldDefinition',
  tableName: 'custom_field_definition',
  properties: {
    id: columns.id(),
    storefrontId: p.uuid(),
    entity: p.enum(CUSTOM_FIELD_ENTITIES),
    key: p.string(),
    label: p.string(),
    type: p.enum(CUSTOM_FIELD_TYPES),
    /** The allowed values of a SELECT. */
    options: p.json<string[]>(),
    required: p.boolean().default(false),
    position: p.integer().default(0),
    active: p.boolean().default(true),
    createdAt: columns.createdAt(),
    updatedAt: columns.updatedAt(),
    version: columns.version(),
  },
});
export type ICustomFieldDefinition = InferEntity<typeof CustomFieldDefinition>;
