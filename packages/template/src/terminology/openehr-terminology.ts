/**
 * The parts of the openEHR terminology the RM binds attributes to (codes and English
 * rubrics, from the openEHR terminology specification).
 */

export type OpenEhrGroup =
  | 'composition category'
  | 'setting'
  | 'null flavours'
  | 'instruction states'
  | 'instruction transitions'
  | 'event math function'
  | 'participation mode'
  | 'audit change type'
  | 'version lifecycle state'
  | 'term mapping purpose';

const GROUPS: Readonly<Record<OpenEhrGroup, Readonly<Record<string, string>>>> = {
  'composition category': { '431': 'persistent', '433': 'event', '451': 'episodic' },
  setting: {
    '225': 'home',
    '227': 'emergency care',
    '228': 'primary medical care',
    '229': 'primary nursing care',
    '230': 'primary allied health care',
    '231': 'midwifery care',
    '232': 'secondary medical care',
    '233': 'secondary nursing care',
    '234': 'secondary allied health care',
    '235': 'complementary health care',
    '236': 'dental care',
    '237': 'nursing home care',
    '238': 'other care',
  },
  'null flavours': { '253': 'unknown', '271': 'no information', '272': 'masked', '273': 'not applicable' },
  'instruction states': {
    '524': 'initial',
    '526': 'planned',
    '527': 'postponed',
    '528': 'cancelled',
    '529': 'scheduled',
    '245': 'active',
    '530': 'suspended',
    '531': 'aborted',
    '532': 'completed',
    '533': 'expired',
  },
  'instruction transitions': {
    '535': 'initiate',
    '536': 'plan step',
    '537': 'postpone',
    '538': 'restore',
    '166': 'cancel',
    '542': 'postponed step',
    '539': 'schedule',
    '540': 'start',
    '541': 'do',
    '543': 'active step',
    '544': 'suspend',
    '545': 'suspended step',
    '546': 'resume',
    '547': 'abort',
    '548': 'finish',
    '549': 'time out',
    '550': 'notify aborted',
    '551': 'notify completed',
    '552': 'notify cancelled',
  },
  'event math function': {
    '145': 'minimum',
    '144': 'maximum',
    '267': 'mode',
    '268': 'median',
    '146': 'mean',
    '147': 'change',
    '148': 'total',
    '149': 'variation',
    '521': 'decrease',
    '522': 'increase',
    '640': 'actual',
  },
  'participation mode': {
    '193': 'not specified',
    '216': 'face-to-face communication',
    '223': 'interpreted face-to-face communication',
    '217': 'signing (face-to-face)',
    '195': 'live audiovisual; videoconference; videophone',
    '198': 'videoconferencing',
    '197': 'videophone',
    '218': 'signing over video',
    '224': 'interpreted video communication',
    '194': 'asynchronous audiovisual; recorded video',
    '196': 'recorded video',
    '202': 'live audio-only; telephone; internet phone; teleconference',
    '204': 'telephone',
    '203': 'teleconference',
    '205': 'internet telephone',
    '222': 'interpreted audio-only',
    '199': 'asynchronous audio-only; dictated; voice mail',
    '200': 'dictated',
    '201': 'voice-mail',
    '212': 'live text-only; internet chat; SMS chat; interactive written note',
    '213': 'internet chat',
    '214': 'SMS chat',
    '215': 'interactive written note',
    '206': 'asynchronous text; email; fax; letter; handwritten note; SMS message',
    '211': 'handwritten note',
    '210': 'printed/typed letter',
    '207': 'email',
    '208': 'facsimile/telefax',
    '221': 'translated text',
    '209': 'SMS message',
    '219': 'physically present',
    '220': 'physically remote',
  },
  'audit change type': {
    '249': 'creation',
    '250': 'amendment',
    '251': 'modification',
    '252': 'synthesis',
    '523': 'deleted',
    '666': 'attestation',
    '253': 'unknown',
  },
  'version lifecycle state': { '532': 'complete', '553': 'incomplete', '523': 'deleted' },
  'term mapping purpose': { '669': 'public health', '670': 'reimbursement', '671': 'research study' },
};

/** The group the RM binds an attribute to, by `TYPE.attribute`. */
const ATTRIBUTE_GROUPS: Readonly<Record<string, OpenEhrGroup>> = {
  'COMPOSITION.category': 'composition category',
  'EVENT_CONTEXT.setting': 'setting',
  'ELEMENT.null_flavour': 'null flavours',
  'ISM_TRANSITION.current_state': 'instruction states',
  'ISM_TRANSITION.transition': 'instruction transitions',
  'INTERVAL_EVENT.math_function': 'event math function',
  'PARTICIPATION.mode': 'participation mode',
  'TERM_MAPPING.purpose': 'term mapping purpose',
};

export function openEhrGroup(group: OpenEhrGroup): Readonly<Record<string, string>> {
  return GROUPS[group];
}

/** The openEHR terminology group an RM attribute's codes come from, if it is bound to one. */
export function groupForAttribute(rmType: string, attribute: string): OpenEhrGroup | undefined {
  return ATTRIBUTE_GROUPS[`${rmType}.${attribute}`];
}

/** The English rubric of an openEHR code, looked up in one group or in all of them. */
export function openEhrRubric(code: string, group?: OpenEhrGroup): string | undefined {
  if (group) {
    return GROUPS[group][code];
  }
  for (const codes of Object.values(GROUPS)) {
    const rubric = codes[code];
    if (rubric !== undefined) {
      return rubric;
    }
  }
  return undefined;
}

/** The group bound to an attribute of any RM type with that attribute name. */
export function groupForAttributeName(attribute: string): OpenEhrGroup | undefined {
  const key = Object.keys(ATTRIBUTE_GROUPS).find((k) => k.endsWith(`.${attribute}`));
  return key === undefined ? undefined : ATTRIBUTE_GROUPS[key];
}
