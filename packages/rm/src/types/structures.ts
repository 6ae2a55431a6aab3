/** Canonical JSON of DATA_STRUCTURES. */
import type { Locatable } from './common.js';
import type { DataValue, DvCodedText, DvDateTime, DvDuration, DvText } from './data-values.js';
import type { RmObject } from './json.js';

export interface Element extends Locatable {
  readonly _type: 'ELEMENT';
  readonly value?: DataValue | RmObject;
  readonly null_flavour?: DvCodedText;
  readonly null_reason?: DvText;
}

export interface Cluster extends Locatable {
  readonly _type: 'CLUSTER';
  readonly items: readonly Item[];
}

export type Item = Element | Cluster;

export interface ItemTree extends Locatable {
  readonly _type: 'ITEM_TREE';
  readonly items?: readonly Item[];
}
export interface ItemList extends Locatable {
  readonly _type: 'ITEM_LIST';
  readonly items?: readonly Element[];
}
export interface ItemSingle extends Locatable {
  readonly _type: 'ITEM_SINGLE';
  readonly item: Element;
}
export interface ItemTable extends Locatable {
  readonly _type: 'ITEM_TABLE';
  readonly rows?: readonly Cluster[];
}

/** ITEM_STRUCTURE is abstract: its canonical JSON always carries `_type`. */
export type ItemStructure = ItemTree | ItemList | ItemSingle | ItemTable;

interface EventBase extends Locatable {
  readonly time: DvDateTime;
  readonly data: ItemStructure;
  readonly state?: ItemStructure;
}
export interface PointEvent extends EventBase {
  readonly _type: 'POINT_EVENT';
}
export interface IntervalEvent extends EventBase {
  readonly _type: 'INTERVAL_EVENT';
  readonly width: DvDuration;
  readonly sample_count?: number;
  readonly math_function: DvCodedText;
}
export type Event = PointEvent | IntervalEvent;

export interface History extends Locatable {
  readonly _type?: 'HISTORY';
  readonly origin: DvDateTime;
  readonly period?: DvDuration;
  readonly duration?: DvDuration;
  readonly events?: readonly Event[];
  readonly summary?: ItemStructure;
}
