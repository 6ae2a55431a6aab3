/**
 * Seeded randomness and stable ids, so that a population is the same on every run and every
 * machine. Each patient draws from a stream of its own (seeded by the population seed and
 * the patient's number), so patient n is the same whether 100 or 100,000 are generated.
 */
import { createHash } from 'node:crypto';

/** mulberry32: small, fast, good enough for synthetic data. */
export class Random {
  private state: number;
  private spare: number | undefined;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A stream for one named part of a population (a patient), independent of the others. */
  static for(seed: number, ...parts: readonly (string | number)[]): Random {
    const digest = createHash('sha1').update(`${seed}\u0000${parts.join('\u0000')}`).digest();
    return new Random(digest.readUInt32LE(0));
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A number in [min, max). */
  uniform(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  /** Normally distributed (Box-Muller). */
  normal(mean: number, sd: number): number {
    let z = this.spare;
    if (z === undefined) {
      const u = Math.max(this.next(), Number.EPSILON);
      const v = this.next();
      const r = Math.sqrt(-2 * Math.log(u));
      z = r * Math.cos(2 * Math.PI * v);
      this.spare = r * Math.sin(2 * Math.PI * v);
    } else {
      this.spare = undefined;
    }
    return mean + sd * z;
  }

  /** Log-normally distributed with the given median and spread (sd of the logarithm). */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(this.normal(0, sigma));
  }

  /** Exponentially distributed with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(Math.max(1 - this.next(), Number.EPSILON));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Picks by weight: `[[item, weight], ...]`. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((sum, [, weight]) => sum + weight, 0);
    let point = this.next() * total;
    for (const [item, weight] of items) {
      point -= weight;
      if (point < 0) {
        return item;
      }
    }
    return (items[items.length - 1] as readonly [T, number])[0];
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }
}

/**
 * A name-based UUID (version 5 layout, SHA-1 of the population seed and the parts): the same
 * patient, composition and version get the same id on every run.
 */
export function stableUuid(seed: number, ...parts: readonly (string | number)[]): string {
  const hash = createHash('sha1').update(`cdr-population\u0000${seed}\u0000${parts.join('\u0000')}`).digest();
  hash[6] = ((hash[6] as number) & 0x0f) | 0x50;
  hash[8] = ((hash[8] as number) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

export function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
