/**
 * DATA_TYPES: the data values of ELEMENT.value and the classes they are made of.
 * Order follows the XML schema; attributes the 1.1.0 RM added (CODE_PHRASE.preferred_term,
 * DV_QUANTITY.units_system, units_display_name and property, DV_SCALE) come after the XSD's own.
 */
import { abstract, attr, concrete, type RmClass } from './definition.js';

const orderedAttributes = [
  attr('normal_range', 'DV_INTERVAL', '0..1'),
  attr('other_reference_ranges', 'REFERENCE_RANGE', '0..*'),
  attr('normal_status', 'CODE_PHRASE', '0..1'),
];

export const DATA_TYPE_CLASSES: readonly RmClass[] = [
  abstract('DATA_VALUE', undefined),

  // basic
  concrete('DV_BOOLEAN', 'DATA_VALUE', [attr('value', 'Boolean', '1')]),
  concrete('DV_STATE', 'DATA_VALUE', [attr('value', 'DV_CODED_TEXT', '1'), attr('is_terminal', 'Boolean', '1')]),
  concrete('DV_IDENTIFIER', 'DATA_VALUE', [
    attr('issuer', 'String', '0..1'),
    attr('assigner', 'String', '0..1'),
    attr('id', 'String', '1'),
    attr('type', 'String', '0..1'),
  ]),

  // text
  concrete('DV_TEXT', 'DATA_VALUE', [
    attr('value', 'String', '1'),
    attr('hyperlink', 'DV_URI', '0..1'),
    attr('formatting', 'String', '0..1'),
    attr('mappings', 'TERM_MAPPING', '0..*'),
    attr('language', 'CODE_PHRASE', '0..1'),
    attr('encoding', 'CODE_PHRASE', '0..1'),
  ]),
  concrete('DV_CODED_TEXT', 'DV_TEXT', [attr('defining_code', 'CODE_PHRASE', '1')]),
  concrete('TERM_MAPPING', undefined, [
    attr('match', 'String', '1'),
    attr('purpose', 'DV_CODED_TEXT', '0..1'),
    attr('target', 'CODE_PHRASE', '1'),
  ]),
  concrete('CODE_PHRASE', undefined, [
    attr('terminology_id', 'TERMINOLOGY_ID', '1'),
    attr('code_string', 'String', '1'),
    attr('preferred_term', 'String', '0..1'),
  ]),
  concrete('DV_PARAGRAPH', 'DATA_VALUE', [attr('items', 'DV_TEXT', '1..*')]),

  // quantity
  abstract('DV_ORDERED', 'DATA_VALUE', orderedAttributes),
  concrete('DV_INTERVAL', 'DATA_VALUE', [
    attr('lower', 'DV_ORDERED', '0..1'),
    attr('upper', 'DV_ORDERED', '0..1'),
    attr('lower_included', 'Boolean', '0..1'),
    attr('upper_included', 'Boolean', '0..1'),
    attr('lower_unbounded', 'Boolean', '1'),
    attr('upper_unbounded', 'Boolean', '1'),
  ]),
  concrete('REFERENCE_RANGE', undefined, [attr('meaning', 'DV_TEXT', '1'), attr('range', 'DV_INTERVAL', '1')]),
  abstract('DV_QUANTIFIED', 'DV_ORDERED', [attr('magnitude_status', 'String', '0..1')]),
  abstract('DV_AMOUNT', 'DV_QUANTIFIED', [attr('accuracy', 'Real', '0..1'), attr('accuracy_is_percent', 'Boolean', '0..1')]),
  abstract('DV_ABSOLUTE_QUANTITY', 'DV_QUANTIFIED'),
  concrete('DV_QUANTITY', 'DV_AMOUNT', [
    attr('magnitude', 'Double', '1'),
    attr('units', 'String', '1'),
    attr('precision', 'Integer', '0..1'),
    attr('units_system', 'String', '0..1'),
    attr('units_display_name', 'String', '0..1'),
    attr('property', 'CODE_PHRASE', '0..1'),
  ]),
  concrete('DV_COUNT', 'DV_AMOUNT', [attr('magnitude', 'Integer64', '1')]),
  concrete('DV_PROPORTION', 'DV_AMOUNT', [
    attr('numerator', 'Real', '1'),
    attr('denominator', 'Real', '1'),
    attr('type', 'Integer', '1'),
    attr('precision', 'Integer', '0..1'),
  ]),
  concrete('DV_ORDINAL', 'DV_ORDERED', [attr('value', 'Integer', '1'), attr('symbol', 'DV_CODED_TEXT', '1')]),
  concrete('DV_SCALE', 'DV_ORDERED', [attr('value', 'Real', '1'), attr('symbol', 'DV_CODED_TEXT', '1')]),

  // date_time
  abstract('DV_TEMPORAL', 'DV_ABSOLUTE_QUANTITY', [attr('accuracy', 'DV_DURATION', '0..1')]),
  concrete('DV_DATE_TIME', 'DV_TEMPORAL', [attr('value', 'String', '1')]),
  concrete('DV_DATE', 'DV_TEMPORAL', [attr('value', 'String', '1')]),
  concrete('DV_TIME', 'DV_TEMPORAL', [attr('value', 'String', '1')]),
  concrete('DV_DURATION', 'DV_AMOUNT', [attr('value', 'String', '1')]),

  // time_specification
  abstract('DV_TIME_SPECIFICATION', 'DATA_VALUE', [attr('value', 'DV_PARSABLE', '1')]),
  concrete('DV_PERIODIC_TIME_SPECIFICATION', 'DV_TIME_SPECIFICATION'),
  concrete('DV_GENERAL_TIME_SPECIFICATION', 'DV_TIME_SPECIFICATION'),

  // encapsulated
  abstract('DV_ENCAPSULATED', 'DATA_VALUE', [attr('charset', 'CODE_PHRASE', '0..1'), attr('language', 'CODE_PHRASE', '0..1')]),
  concrete('DV_MULTIMEDIA', 'DV_ENCAPSULATED', [
    attr('alternate_text', 'String', '0..1'),
    attr('uri', 'DV_URI', '0..1'),
    attr('data', 'Octets', '0..1'),
    attr('media_type', 'CODE_PHRASE', '1'),
    attr('compression_algorithm', 'CODE_PHRASE', '0..1'),
    attr('integrity_check', 'Octets', '0..1'),
    attr('integrity_check_algorithm', 'CODE_PHRASE', '0..1'),
    attr('size', 'Integer', '1'),
    attr('thumbnail', 'DV_MULTIMEDIA', '0..1'),
  ]),
  concrete('DV_PARSABLE', 'DV_ENCAPSULATED', [attr('value', 'String', '1'), attr('formalism', 'String', '1')]),

  // uri
  concrete('DV_URI', 'DATA_VALUE', [attr('value', 'String', '1')]),
  concrete('DV_EHR_URI', 'DV_URI'),
];
