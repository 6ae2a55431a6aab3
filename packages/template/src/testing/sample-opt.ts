/**
 * Test support: a small operational template written for the unit tests (a composition
 * with a blood pressure observation: two quantities, a coded position, a comment), built
 * as OPT 1.4 XML by a few helpers so each test reads the constraint it relies on.
 */

type Bound = number | '*';

const interval = (tag: string, lower: Bound, upper: Bound): string =>
  `<${tag}><lower_included>true</lower_included><upper_included>${upper !== '*'}</upper_included>` +
  `<lower_unbounded>false</lower_unbounded><upper_unbounded>${upper === '*'}</upper_unbounded>` +
  `<lower>${lower}</lower>${upper === '*' ? '' : `<upper>${upper}</upper>`}</${tag}>`;

const object = (kind: string, type: string, nodeId: string, lower: Bound, upper: Bound, body = ''): string =>
  `<children xsi:type="${kind}"><rm_type_name>${type}</rm_type_name>${interval('occurrences', lower, upper)}<node_id>${nodeId}</node_id>${body}</children>`;

const single = (name: string, children: string, existence: [Bound, Bound] = [0, 1]): string =>
  `<attributes xsi:type="C_SINGLE_ATTRIBUTE"><rm_attribute_name>${name}</rm_attribute_name>${interval('existence', existence[0], existence[1])}${children}</attributes>`;

const multiple = (name: string, children: string, cardinality: [Bound, Bound] = [0, '*']): string =>
  `<attributes xsi:type="C_MULTIPLE_ATTRIBUTE"><rm_attribute_name>${name}</rm_attribute_name>${interval('existence', 0, 1)}${children}` +
  `<cardinality><is_ordered>false</is_ordered><is_unique>false</is_unique>${interval('interval', cardinality[0], cardinality[1])}</cardinality></attributes>`;

const quantity = (units: string, upper: number): string =>
  object(
    'C_DV_QUANTITY',
    'DV_QUANTITY',
    '',
    1,
    1,
    `<property><terminology_id><value>openehr</value></terminology_id><code_string>125</code_string></property>` +
      `<list>${interval('magnitude', 0, upper)}${interval('precision', 0, 0)}<units>${units}</units></list>`,
  );

const element = (nodeId: string, lower: Bound, value: string): string => object('C_COMPLEX_OBJECT', 'ELEMENT', nodeId, lower, 1, single('value', value));

const term = (code: string, text: string, description = text): string =>
  `<term_definitions code="${code}"><items id="text">${text}</items><items id="description">${description}</items></term_definitions>`;

const observation =
  `<children xsi:type="C_ARCHETYPE_ROOT"><rm_type_name>OBSERVATION</rm_type_name>${interval('occurrences', 0, 1)}<node_id>at0000</node_id>` +
  single(
    'data',
    object(
      'C_COMPLEX_OBJECT',
      'HISTORY',
      'at0001',
      1,
      1,
      multiple(
        'events',
        object(
          'C_COMPLEX_OBJECT',
          'EVENT',
          'at0006',
          0,
          '*',
          single(
            'data',
            object(
              'C_COMPLEX_OBJECT',
              'ITEM_TREE',
              'at0003',
              1,
              1,
              multiple(
                'items',
                element('at0004', 1, quantity('mm[Hg]', 1000)) +
                  element('at0005', 0, quantity('mm[Hg]', 1000)) +
                  element(
                    'at0010',
                    0,
                    object(
                      'C_COMPLEX_OBJECT',
                      'DV_CODED_TEXT',
                      '',
                      1,
                      1,
                      single(
                        'defining_code',
                        object('C_CODE_PHRASE', 'CODE_PHRASE', '', 1, 1, '<terminology_id><value>local</value></terminology_id><code_list>at0011</code_list><code_list>at0012</code_list>'),
                        [1, 1],
                      ),
                    ),
                  ) +
                  element('at0020', 0, object('C_COMPLEX_OBJECT', 'DV_TEXT', '', 1, 1)),
              ),
            ),
            [1, 1],
          ),
        ),
        [1, '*'],
      ),
    ),
    [1, 1],
  ) +
  `<archetype_id><value>openEHR-EHR-OBSERVATION.blood_pressure.v2</value></archetype_id>` +
  term('at0000', 'Blood pressure', 'Arterial blood pressure.') +
  term('at0001', 'History') +
  term('at0006', 'Any event') +
  term('at0003', 'Tree') +
  term('at0004', 'Systolic', 'Peak systemic arterial blood pressure.') +
  term('at0005', 'Diastolic') +
  term('at0010', 'Position') +
  term('at0011', 'Standing') +
  term('at0012', 'Sitting') +
  term('at0020', 'Comment') +
  `<term_bindings terminology="SNOMED-CT"><items code="at0004"><value><terminology_id><value>SNOMED-CT</value></terminology_id><code_string>271649006</code_string></value></items></term_bindings>` +
  `</children>`;

/** The sample template (template id `test.blood_pressure.v1`, original language en). */
export const SAMPLE_OPT =
  `<?xml version="1.0" encoding="UTF-8"?>\n<template xmlns="http://schemas.openehr.org/v1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
  `<language><terminology_id><value>ISO_639-1</value></terminology_id><code_string>en</code_string></language>` +
  `<description><original_author id="name">Test</original_author><lifecycle_state>published</lifecycle_state>` +
  `<details><language><terminology_id><value>ISO_639-1</value></terminology_id><code_string>en</code_string></language><purpose>Tests</purpose></details></description>` +
  `<template_id><value>test.blood_pressure.v1</value></template_id><concept>Blood pressure record</concept>` +
  `<definition><rm_type_name>COMPOSITION</rm_type_name>${interval('occurrences', 1, 1)}<node_id>at0000</node_id>` +
  single('category', object('C_COMPLEX_OBJECT', 'DV_CODED_TEXT', '', 1, 1, single('defining_code', object('C_CODE_PHRASE', 'CODE_PHRASE', '', 1, 1, '<terminology_id><value>openehr</value></terminology_id><code_list>433</code_list>'), [1, 1])), [1, 1]) +
  single('context', object('C_COMPLEX_OBJECT', 'EVENT_CONTEXT', '', 1, 1)) +
  multiple('content', observation) +
  `<archetype_id><value>openEHR-EHR-COMPOSITION.encounter.v1</value></archetype_id>` +
  term('at0000', 'Blood pressure record', 'An encounter.') +
  `</definition></template>`;
