/** DATA_STRUCTURES: item structures, CLUSTER/ELEMENT trees, and HISTORY with its events. */
import { abstract, attr, concrete, type RmClass } from './definition.js';

export const DATA_STRUCTURE_CLASSES: readonly RmClass[] = [
  abstract('DATA_STRUCTURE', 'LOCATABLE'),
  abstract('ITEM_STRUCTURE', 'DATA_STRUCTURE'),
  concrete('ITEM_SINGLE', 'ITEM_STRUCTURE', [attr('item', 'ELEMENT', '1')]),
  concrete('ITEM_LIST', 'ITEM_STRUCTURE', [attr('items', 'ELEMENT', '0..*')]),
  concrete('ITEM_TABLE', 'ITEM_STRUCTURE', [attr('rows', 'CLUSTER', '0..*')]),
  concrete('ITEM_TREE', 'ITEM_STRUCTURE', [attr('items', 'ITEM', '0..*')]),

  abstract('ITEM', 'LOCATABLE'),
  concrete('CLUSTER', 'ITEM', [attr('items', 'ITEM', '1..*')]),
  concrete('ELEMENT', 'ITEM', [
    attr('value', 'DATA_VALUE', '0..1'),
    attr('null_flavour', 'DV_CODED_TEXT', '0..1'),
    attr('null_reason', 'DV_TEXT', '0..1'),
  ]),

  concrete('HISTORY', 'DATA_STRUCTURE', [
    attr('origin', 'DV_DATE_TIME', '1'),
    attr('period', 'DV_DURATION', '0..1'),
    attr('duration', 'DV_DURATION', '0..1'),
    attr('events', 'EVENT', '0..*'),
    attr('summary', 'ITEM_STRUCTURE', '0..1'),
  ]),
  abstract('EVENT', 'LOCATABLE', [
    attr('time', 'DV_DATE_TIME', '1'),
    attr('data', 'ITEM_STRUCTURE', '1'),
    attr('state', 'ITEM_STRUCTURE', '0..1'),
  ]),
  concrete('POINT_EVENT', 'EVENT'),
  concrete('INTERVAL_EVENT', 'EVENT', [
    attr('width', 'DV_DURATION', '1'),
    attr('sample_count', 'Integer', '0..1'),
    attr('math_function', 'DV_CODED_TEXT', '1'),
  ]),
];
