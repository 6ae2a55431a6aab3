/** The common setups of the suites (AQL-CONFORMANCE-SETUP.md, per area). */
import type { Harness } from './harness.js';

export type Setup = (h: Harness) => Promise<void>;

const CONF_OPT = 'conformance_ehrbase.de.v0.opt';
const AQLC_OPT = 'aql-conformance-ehrbase.org.v0.opt';
const TR_OPT = 'type_repetition_conformance_ehrbase.org.opt';
const MAX = 'conformance_ehrbase.de.v0_max.json';
const CONTAINS = 'aql-conformance-ehrbase.org.v0_contains.json';

export const setups = {
  none: async () => undefined,
  /** AGG-STD: the conformance template and one max_v3 composition. */
  aggStd: async (h: Harness) => {
    await h.upload(CONF_OPT);
    await h.ehr();
    await h.commit('conformance_ehrbase.de.v0_max_v3.json', { short: 'c_uid1' });
  },
  aqlc: async (h: Harness) => {
    await h.upload(AQLC_OPT);
    await h.ehr();
    await h.commit(CONTAINS, { short: 'c_uid' });
  },
  confMax: async (h: Harness) => {
    await h.upload(CONF_OPT);
    await h.ehr();
    await h.commit(MAX, { short: 'c_uid1' });
  },
  confV2: async (h: Harness) => {
    await h.upload(CONF_OPT);
    await h.ehr();
    await h.commit('conformance_ehrbase.de.v0_max_v2.json', { short: 'c_uid1' });
  },
  confV3: async (h: Harness) => {
    await h.upload(CONF_OPT);
    await h.ehr();
    await h.commit('conformance_ehrbase.de.v0_max_v3.json', { short: 'c_uid1' });
  },
  conf2x2: async (h: Harness) => {
    await h.upload(CONF_OPT);
    await h.ehr();
    await h.commit(MAX, { short: 'c_uid1' });
    await h.commit(MAX, { short: 'c_uid2' });
    await h.ehr();
    await h.commit(MAX, { short: 'c_uid3' });
    await h.commit(MAX, { short: 'c_uid4' });
  },
  dates2: async (h: Harness) => {
    await h.upload(CONF_OPT);
    await h.ehr();
    await h.commit('conformance_ehrbase.de.v0_known_date_type_1.json', { short: 'c_uid1' });
    await h.commit('conformance_ehrbase.de.v0_known_date_type_2.json', { short: 'c_uid2' });
  },
  dates4: async (h: Harness) => {
    await setups.dates2(h);
    await h.commit('conformance_ehrbase.de.v0_known_date_type_3.json', { short: 'c_uid3' });
    await h.commit('conformance_ehrbase.de.v0_known_date_type_4.json', { short: 'c_uid4' });
  },
  mix2: async (h: Harness) => {
    await h.upload(CONF_OPT);
    await h.upload(TR_OPT);
    await h.ehr();
    await h.commit(MAX, { short: 'c_uid1' });
    await h.ehr();
    await h.commit('type_repetition_conformance_ehrbase.org_one_reptation.json', { short: 'c_uid2' });
  },
  allTypes: async (h: Harness) => {
    await h.upload('external/test_all_types.opt');
    await h.ehr({ status: 'status1.json' });
    await h.commit('external/all_types_systematic_tests.json', { short: 'c_uid' });
  },
  allTypesFeederAudit: async (h: Harness) => {
    await h.upload('external/test_all_types.opt');
    await h.ehr({ status: 'status1.json' });
    await h.commit('external/all_types_systematic_tests_feeder_audit.json', { short: 'c_uid' });
    h.vars.c_uid1 = h.vars.c_uid as string;
  },
  /** FC4: four compositions in one EHR, filed in folder_with_compositions. */
  fc4: async (h: Harness) => {
    await h.upload(CONF_OPT);
    await h.ehr();
    for (const n of [1, 2, 3, 4]) {
      await h.commit(MAX, { short: `c_uid${n}` });
    }
    await h.folder('folder_with_compositions.json');
  },
  fc4x2: async (h: Harness) => {
    await h.upload(CONF_OPT);
    await h.ehr();
    for (const n of [1, 2, 3, 4]) {
      await h.commit(MAX, { short: `c_uid${n}` });
    }
    await h.folder('folder_with_compositions.json');
    await h.commit(MAX);
    await h.ehr();
    for (const n of [1, 2, 3, 4]) {
      await h.commit(MAX, { short: `c_uid${n}b` });
    }
    await h.folder('folder_with_compositions1.json');
    await h.commit(MAX);
  },
  corona: async (h: Harness) => {
    await h.upload('corona_anamnese1.opt');
    await h.upload('corona_anamnese2.opt');
    await h.ehr();
    await h.commit('corona_anamnese1.json', { short: 'c_uid1' });
    await h.ehr();
    await h.commit('corona_anamnese2.json', { short: 'c_uid2' });
    await h.commit('corona_anamnese3.json', { short: 'c_uid3' });
  },
  /** AQLC+TR: both templates, two compositions in one EHR. */
  aqlcTr: async (h: Harness) => {
    await h.upload(AQLC_OPT);
    await h.upload(TR_OPT);
    await h.ehr();
    await h.commit(CONTAINS, { short: 'c_uid1' });
    await h.commit('type_repetition_conformance_ehrbase.org_one_reptation.json', { short: 'c_uid2' });
  },
  /** VERSION-COMPO (§11.1). */
  versionCompositions: async (h: Harness) => {
    await h.upload('persistent_minimal.opt');
    await h.upload(CONF_OPT);
    await h.ehr();
    const system = h.vars.system_id_with_tenant as string;
    h.vars.tenant_id_from_system_id = `${system.split('.')[0]}.`;
    await h.contribution('compo_uid_1');
    await h.commit('persistent_minimal.en.v1__full.json', { full: 'compo_uid_2' });
    await h.update('persistent_minimal.en.v1__updated_v2.json', 'compo_uid_2', 'compo_uid_2_v2');
    await h.update('persistent_minimal.en.v1__updated_v3.json', 'compo_uid_2_v2', 'compo_uid_2_v3');
    await h.commit('persistent_minimal.en.v1__full.json', { full: 'compo_uid_3' });
    await h.update('persistent_minimal.en.v1__updated_v2.json', 'compo_uid_3', 'compo_uid_3_v2');
    await h.commit('persistent_minimal.en.v1__full.json', { full: 'compo_uid_4' });
    await h.deleteComposition('compo_uid_4');
    await h.commit(MAX, { full: 'compo_uid_5' });
    await h.ehr();
    await h.commit('persistent_minimal.en.v1__full.json', { full: 'compo_uid_6' });
    await h.deleteComposition('compo_uid_6');
    await h.adminDelete('ehr_id2');
    await h.ehr();
    h.vars.ehr_status_id3 = h.vars.ehr_status_uid as string;
    await h.statusPut('status3.json');
    await h.commit('persistent_minimal.en.v1__full.json', { full: 'compo_uid_7' });
    await h.update('persistent_minimal.en.v1__updated_v2.json', 'compo_uid_7', 'compo_uid_7_v2');
    await h.commit(MAX, { full: 'compo_uid_8' });
  },
  /** VERSION-STATUS (§11.2). */
  versionStatus: async (h: Harness) => {
    await h.ehr();
    h.vars.ehr_status_id1 = h.vars.ehr_status_uid as string;
    h.vars.ehr_status_id1_subject_external_ref_id = h.vars.subject_external_ref_value as string;
    await h.ehr();
    h.vars.ehr_status_id2 = h.vars.ehr_status_uid as string;
    await h.adminDelete('ehr_id2');
    await h.ehr();
    h.vars.ehr_status_id3 = h.vars.ehr_status_uid as string;
    h.vars.ehr_status_id3_version2 = await h.statusPut('status3.json');
    h.vars.ehr_status_id3_subject_external_ref_id = 'ext_id_42';
  },
} satisfies Record<string, Setup>;

export const FILES = { CONF_OPT, AQLC_OPT, TR_OPT, MAX, CONTAINS };
