/** What a bounded-context module mounts in this process (APP_ROLE decides). */
export interface ContextModuleOptions {
  /** Mount controllers (api, all). */
  http: boolean;
  /** Run queue processors and background loops (worker, all). */
  workers: boolean;
}
