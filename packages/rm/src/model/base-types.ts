/**
 * BASE foundation and base types: identifiers (OBJECT_ID and UID families) and
 * references (OBJECT_REF family).
 */
import { abstract, attr, concrete, type RmClass } from './definition.js';

export const BASE_TYPE_CLASSES: readonly RmClass[] = [
  abstract('OBJECT_ID', undefined, [attr('value', 'String', '1')]),
  abstract('UID_BASED_ID', 'OBJECT_ID'),
  concrete('HIER_OBJECT_ID', 'UID_BASED_ID'),
  concrete('OBJECT_VERSION_ID', 'UID_BASED_ID'),
  concrete('ARCHETYPE_ID', 'OBJECT_ID'),
  concrete('TEMPLATE_ID', 'OBJECT_ID'),
  concrete('TERMINOLOGY_ID', 'OBJECT_ID'),
  concrete('GENERIC_ID', 'OBJECT_ID', [attr('scheme', 'String', '1')]),

  abstract('UID', undefined, [attr('value', 'String', '1')]),
  concrete('UUID', 'UID'),
  concrete('ISO_OID', 'UID'),
  concrete('INTERNET_ID', 'UID'),
  concrete('VERSION_TREE_ID', undefined, [attr('value', 'String', '1')]),

  concrete('OBJECT_REF', undefined, [
    attr('id', 'OBJECT_ID', '1'),
    attr('namespace', 'String', '1'),
    attr('type', 'String', '1'),
  ]),
  concrete('PARTY_REF', 'OBJECT_REF'),
  concrete('ACCESS_GROUP_REF', 'OBJECT_REF'),
  concrete('LOCATABLE_REF', 'OBJECT_REF', [attr('id', 'UID_BASED_ID', '1'), attr('path', 'String', '0..1')]),
];
