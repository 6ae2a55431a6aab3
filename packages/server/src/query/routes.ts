/** The AQL query API (ITS-REST Release 1.0.3, Query API) and stored queries (Definition API). */
import { Router } from 'express';
import type { AppDependencies } from '../app.js';

export function queryRoutes(_deps: AppDependencies): Router {
  return Router();
}
