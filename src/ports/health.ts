// What a component reports to the readiness check (/health/ready): whether it can do its work now. Cheap: a
// check never runs a model or a search, so a busy server stays ready and a load balancer does not drain it.

export interface ComponentHealth {
  ok: boolean;
  /** Why not, or what an operator should know (e.g. that another process owns the index snapshot). */
  detail?: string;
}
