/**
 * Per-client rate limiting: a token bucket per client (the token's client id or subject,
 * else the remote address), refilled continuously at the configured rate per minute.
 * Over the limit is a 429 with Retry-After.
 */
import type { NextFunction, Request, Response } from 'express';
import { CdrError } from '@cdr/rm';
import '../http/context.js';

interface Bucket {
  tokens: number;
  updated: number;
}

export interface RateLimitOptions {
  readonly perMinute: number;
  readonly burst: number;
  readonly now?: () => number;
}

/** Buckets idle this long are full again and can be forgotten. */
const IDLE_MS = 10 * 60_000;

export function rateLimit(options: RateLimitOptions) {
  const buckets = new Map<string, Bucket>();
  const now = options.now ?? Date.now;
  const perMs = options.perMinute / 60_000;
  const capacity = Math.max(1, options.burst);
  let lastSweep = now();
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (options.perMinute === 0) {
      next();
      return;
    }
    const t = now();
    if (t - lastSweep > IDLE_MS) {
      for (const [key, bucket] of buckets) {
        if (t - bucket.updated > IDLE_MS) {
          buckets.delete(key);
        }
      }
      lastSweep = t;
    }
    const identity = req.identity;
    const key = identity && !identity.anonymous ? `client:${identity.clientId ?? identity.subject}` : `address:${req.socket.remoteAddress ?? 'unknown'}`;
    const bucket = buckets.get(key) ?? { tokens: capacity, updated: t };
    bucket.tokens = Math.min(capacity, bucket.tokens + (t - bucket.updated) * perMs);
    bucket.updated = t;
    buckets.set(key, bucket);
    if (bucket.tokens < 1) {
      const retryAfter = Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
      throw new CdrError('too-many-requests', `too many requests from this client; retry in ${retryAfter} s`, {
        headers: { 'Retry-After': String(retryAfter) },
      });
    }
    bucket.tokens -= 1;
    next();
  };
}
