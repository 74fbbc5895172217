/**
 * taskwire API types, generated from /docs/openapi.json by openapi-typescript.
 * Do not edit: `npm run client:generate` rewrites it (and `npm test` fails while it is stale).
 */
export interface paths {
    "/api/v1/admin/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Operational summary (admins): queue depths, outbox lag, dead letters, processes and versions
         * @description A snapshot for operators; for monitoring over time scrape `/metrics`.
         */
        get: operations["admin.getStatus"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign in with email and password
         * @description Unknown email, wrong password and deactivated account all answer 401 `INVALID_CREDENTIALS`. Rate limited per IP and email.
         */
        post: operations["auth.login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign out the session of a refresh token
         * @description The refresh token (and its whole session) stops working. An unknown token is ignored (still 204).
         */
        post: operations["auth.logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Exchange a refresh token for a new token pair
         * @description The presented refresh token stops working. Presenting one that was already used is 401 `INVALID_REFRESH_TOKEN` and signs out its whole session (all tokens of its family).
         */
        post: operations["auth.refresh"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create an account (always a member) and sign in
         * @description 403 `REGISTRATION_DISABLED` when `ALLOW_REGISTRATION=false`; 409 `EMAIL_TAKEN` (case-insensitive); rate limited per IP and email.
         */
        post: operations["auth.register"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Delivery ledger rows, newest first (admins and managers)
         * @description One row per (event, channel, recipient) and per (event, webhook endpoint), including `suppressed` rows with their reason.
         */
        get: operations["deliveries.list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/deliveries/{id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Re-queue a dead delivery (admins)
         * @description The delivery becomes `pending` with a fresh retry schedule. Anything but a `dead` delivery is 409 DELIVERY_NOT_DEAD.
         */
        post: operations["deliveries.retry"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The audit trail, oldest first (admins and managers)
         * @description Every recorded event, filtered by `type`, `aggregateId`, `actorId` and an `after`/`before` time window.
         */
        get: operations["events.list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/events/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One event (admins and managers)
         * @description With its correlation and causation ids and its payload.
         */
        get: operations["events.get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/events/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Live Server-Sent Events of what the caller may see
         * @description Each message: `id:` event id, `event:` type, `data:` the event as JSON. Reconnect with `Last-Event-ID` (or `?lastEventId=`) to resume without gaps.
         */
        get: operations["events.stream"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/notification-preferences": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Your notification preferences
         * @description Every channel × every task event type; unset pairs are on.
         */
        get: operations["preferences.get"];
        /**
         * Change your notification preferences
         * @description Partial maps are fine; the answer is the full, updated preferences. Turning a pair off records later deliveries as `suppressed` (reason `preference`).
         */
        put: operations["preferences.update"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/notifications": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Your in-app notifications, newest first
         * @description `?unread=true` lists only unread ones.
         */
        get: operations["notifications.list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/notifications/{id}/read": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mark one of your notifications read
         * @description Idempotent. Someone else’s notification is 404.
         */
        post: operations["notifications.read"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/notifications/read-all": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mark all your notifications read
         * @description Idempotent; only the caller’s own notifications.
         */
        post: operations["notifications.readAll"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/notifications/unread-count": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * How many of your notifications are unread
         * @description For a badge: cheaper than listing with `unread=true`.
         */
        get: operations["notifications.countUnread"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tasks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the tasks the caller may see
         * @description Admins and managers see every task; members those they created, are assigned to, or watch.
         */
        get: operations["tasks.list"];
        put?: never;
        /**
         * Create a task
         * @description State `draft`, or `assigned` when `assigneeId` is given (members may only assign themselves).
         */
        post: operations["tasks.create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tasks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a task
         * @description Answers 304 (no body) when `If-None-Match` holds the current ETag.
         */
        get: operations["tasks.get"];
        put?: never;
        post?: never;
        /**
         * Delete a task (admins)
         * @description Its comments and watchers go with it; its events stay in the audit trail.
         */
        delete: operations["tasks.delete"];
        options?: never;
        head?: never;
        /**
         * Edit title, description, priority, due date or labels
         * @description Admins, managers, or the creator. `state` cannot be changed here (use /transition and /assign). A completed or cancelled task is 409 TASK_CLOSED.
         */
        patch: operations["tasks.update"];
        trace?: never;
    };
    "/api/v1/tasks/{id}/assign": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Assign (or reassign) the task
         * @description From `draft`, `assigned` (reassign) or `in_progress` (back to `assigned`). Admins and managers assign anyone; a member only themself, on a draft they created.
         */
        post: operations["tasks.assign"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tasks/{id}/comments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A task’s comments, oldest first
         * @description Anyone who may see the task may read its comments.
         */
        get: operations["tasks.listComments"];
        put?: never;
        /**
         * Comment on a task
         * @description Records `task.commented`; the task’s version does not change.
         */
        post: operations["tasks.addComment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tasks/{id}/comments/{commentId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One comment of a task
         * @description What the `Location` of a new comment points at.
         */
        get: operations["tasks.getComment"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tasks/{id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The task’s audit trail, oldest first
         * @description After deletion the trail stays readable for admins and managers.
         */
        get: operations["tasks.listEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tasks/{id}/transition": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Move the task through its lifecycle
         * @description start (`in_progress`), `completed`, pause (`assigned`), unassign (`draft`): the assignee, managers, admins. `cancelled`: managers, admins, and the creator while it is a draft. A target not reachable from the current state is 409 INVALID_TRANSITION with `allowedTransitions`; reachable but not for this caller is 403 FORBIDDEN_TRANSITION.
         */
        post: operations["tasks.transition"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tasks/{id}/watchers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Who watches the task
         * @description Every watcher in one page, oldest first (`nextCursor` is always null).
         */
        get: operations["tasks.listWatchers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tasks/{id}/watchers/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Watch the task (idempotent)
         * @description Watchers are told about completion, cancellation, comments and updates. Watching again changes nothing.
         */
        put: operations["tasks.watch"];
        post?: never;
        /**
         * Stop watching the task (idempotent)
         * @description A member who saw the task only by watching it no longer sees it afterwards.
         */
        delete: operations["tasks.unwatch"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The team directory, oldest first
         * @description Every user, filtered by `role`, `active` and `q` (a substring of name or email). Any signed-in user may read it.
         */
        get: operations["users.list"];
        put?: never;
        /**
         * Create a user with any role (admins)
         * @description The email must be unused (case-insensitively; 409 EMAIL_TAKEN); the password 8..128 characters. `Location` names the new user.
         */
        post: operations["users.create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One user of the directory
         * @description Any signed-in user may read it; an unknown id is 404.
         */
        get: operations["users.get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Rename, change the role of, deactivate or reactivate a user (admins)
         * @description Demoting or deactivating the last active admin is 409 `LAST_ADMIN` (409 `CONCURRENT_MODIFICATION` when the user changed at the same moment). Takes effect on the user's very next request.
         */
        patch: operations["users.update"];
        trace?: never;
    };
    "/api/v1/users/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The signed-in user
         * @description The caller’s own account, with the role that applies now (a role change takes effect on the next request).
         */
        get: operations["users.getMe"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Rename yourself or change your password
         * @description A new `password` needs `currentPassword` (400 `CURRENT_PASSWORD_REQUIRED`, 403 `CURRENT_PASSWORD_INVALID`) and signs you out of every other session. 409 `CONCURRENT_MODIFICATION` when another request changed your account at the same moment (retry).
         */
        patch: operations["users.updateMe"];
        trace?: never;
    };
    "/api/v1/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Webhook endpoints, oldest first
         * @description Secrets are never listed (only returned on create and rotate).
         */
        get: operations["webhooks.list"];
        put?: never;
        /**
         * Subscribe an endpoint to events
         * @description The answer carries the signing `secret` (`whsec_…`), once: no other response ever shows it.
         */
        post: operations["webhooks.create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One webhook endpoint
         * @description Its URL, event filter, state (active, or disabled with a reason) and failure record; not its secret.
         */
        get: operations["webhooks.get"];
        put?: never;
        post?: never;
        /**
         * Delete an endpoint
         * @description Its ledger rows stay; pending ones end as dead.
         */
        delete: operations["webhooks.delete"];
        options?: never;
        head?: never;
        /**
         * Change an endpoint’s URL, events or description; disable or re-enable it
         * @description Only the fields given change; every invalid field is listed in one 400. `active: true` clears the failure record.
         */
        patch: operations["webhooks.update"];
        trace?: never;
    };
    "/api/v1/webhooks/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The endpoint’s delivery ledger rows, newest first
         * @description One row per event sent (or to be sent) to this endpoint, with status, attempts and the last error.
         */
        get: operations["webhooks.listDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send one of the endpoint’s deliveries again, now
         * @description Also after it was sent or went dead (same `webhook-id`, so receivers can deduplicate). 409 while it is being sent, or while the endpoint is disabled.
         */
        post: operations["webhooks.redeliver"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks/{id}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Replace the signing secret
         * @description Returns the new secret, once. For 24 h the old secret signs too: `webhook-signature` then carries two signatures, so receivers can switch without losing messages.
         */
        post: operations["webhooks.rotateSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/live": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Liveness: 200 while the process runs
         * @description Checks nothing but the process itself (public; not rate limited).
         */
        get: operations["health.live"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Readiness: database, queue backend and migrations; 503 with details otherwise
         * @description The body names each dependency and its state (e.g. `database: down`). Public; not rate limited.
         */
        get: operations["health.ready"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Prometheus metrics (text format 0.0.4)
         * @description Public unless `METRICS_TOKEN` is set; then send `Authorization: Bearer <METRICS_TOKEN>`.
         */
        get: operations["metrics.scrape"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        AddCommentRequestDto: {
            /**
             * @description 1..10,000 characters, not blank; kept verbatim
             * @example Finance sent the numbers, charts next.
             */
            body: string;
        };
        AssignTaskRequestDto: {
            /**
             * Format: uuid
             * @description An active user; members may only assign themselves, on a draft they created
             * @example 019ad0c4-1111-7c3a-8f2d-4b6e9a1c7d30
             */
            assigneeId: string;
        };
        CreateTaskRequestDto: {
            /**
             * Format: uuid
             * @description Creates the task `assigned` to this user. Members may only name themselves.
             * @example 019ad0c4-1111-7c3a-8f2d-4b6e9a1c7d30
             */
            assigneeId?: string | null;
            /** @example Numbers from finance, charts for the board. */
            description?: string | null;
            /**
             * Format: date-time
             * @example 2025-12-01T17:00:00Z
             */
            dueAt?: string | null;
            /**
             * @description At most 20 labels of 1..50 characters; trimmed and de-duplicated
             * @example [
             *       "finance",
             *       "q3"
             *     ]
             */
            labels?: string[];
            /**
             * @default normal
             * @example high
             * @enum {string}
             */
            priority?: "low" | "normal" | "high" | "urgent";
            /**
             * @description Trimmed; 1..200 characters
             * @example Prepare the Q3 report
             */
            title: string;
        };
        CreateUserRequestDto: {
            /**
             * Format: email
             * @example grace@example.com
             */
            email: string;
            /** @example Grace Hopper */
            name: string;
            /**
             * Format: password
             * @example an initial passphrase
             */
            password: string;
            /** @example manager */
            role: components["schemas"]["Role"];
        };
        CreateWebhookRequestDto: {
            /** @example CRM sync */
            description?: string | null;
            /**
             * @description Event types to receive (task.created, task.updated, task.assigned, task.unassigned, task.started, task.paused, task.completed, task.cancelled, task.deleted, task.commented, task.due_soon, task.overdue, user.registered, user.role_changed, user.deactivated, user.reactivated, webhook.disabled), or `["*"]` for all
             * @example [
             *       "task.assigned",
             *       "task.completed"
             *     ]
             */
            events: string[];
            /**
             * @description http(s) URL. Hosts resolving to loopback, private, link-local, CGNAT, unique-local, multicast or metadata addresses are refused (400 WEBHOOK_URL_NOT_PUBLIC) unless WEBHOOK_ALLOW_PRIVATE=true
             * @example https://hooks.example.com/taskwire
             */
            url: string;
        };
        DeliveryResponseDto: {
            /** @example 1 */
            attempts: number;
            /**
             * @description `email`, `in_app`, `webhook`, or a channel added by another module
             * @example email
             */
            channel: string;
            /**
             * Format: date-time
             * @example 2026-11-29T10:15:00.950Z
             */
            createdAt: string;
            /**
             * Format: uuid
             * @description Email deliveries folded into one digest email (the `emailDigest` preference) share this id; null otherwise
             * @example null
             */
            digestId: string | null;
            /**
             * Format: uuid
             * @example 019ac3f1-6a00-7b11-8d2e-1f2a3b4c5d6e
             */
            eventId: string;
            /** @example task.assigned */
            eventType: string;
            /**
             * Format: uuid
             * @example 019ac3f1-7000-7d33-8f40-3b4c5d6e7f80
             */
            id: string;
            /**
             * @description The last failure, e.g. `SMTP 451: try again later` or `HTTP 503`
             * @example null
             */
            lastError: string | null;
            /**
             * Format: date-time
             * @example null
             */
            nextAttemptAt: string | null;
            /**
             * Format: uuid
             * @description The user told (user channels); null for webhooks
             */
            recipientId: string | null;
            /**
             * Format: date-time
             * @example 2026-11-29T10:15:01.204Z
             */
            sentAt: string | null;
            /**
             * @description `pending` (waiting or being sent), `sent`, `failed` (a retry is scheduled at nextAttemptAt), `dead` (gave up; see lastError), `suppressed` (not sent on purpose; see suppressedReason)
             * @example sent
             * @enum {string}
             */
            status: "pending" | "sent" | "failed" | "dead" | "suppressed";
            /**
             * @description Why the recipient was not told: the actor of the change, a deactivated user, or their preference
             * @example null
             * @enum {string|null}
             */
            suppressedReason: "preference" | "actor" | "user_inactive" | null;
            /**
             * Format: uuid
             * @description The endpoint (webhook channel); null otherwise
             * @example null
             */
            webhookId: string | null;
        };
        EventResponseDto: {
            /**
             * Format: uuid
             * @description Who caused it; null for the system
             */
            actorId: string | null;
            /** Format: uuid */
            aggregateId: string;
            /** @example task */
            aggregateType: string;
            /**
             * Format: uuid
             * @description The event whose handler caused this one
             */
            causationId: string | null;
            /** @description X-Request-Id of the request that caused it (inherited by follow-up events) */
            correlationId: string | null;
            /**
             * Format: uuid
             * @example 019a1f3e-7c2b-7d4e-9a10-3b2f4c5d6e7f
             */
            id: string;
            /** Format: date-time */
            occurredAt: string;
            /**
             * @example {
             *       "title": "Write the report",
             *       "assigneeId": "019a…"
             *     }
             */
            payload: {
                [key: string]: unknown;
            };
            /** @example task.assigned */
            type: string;
        };
        FieldErrorDto: {
            /** @example title */
            field: string;
            /** @example title must be shorter than or equal to 200 characters */
            message: string;
        };
        LoginRequestDto: {
            /**
             * Format: email
             * @example ada@example.com
             */
            email: string;
            /**
             * Format: password
             * @example correct horse battery staple
             */
            password: string;
        };
        NotificationPreferencesResponseDto: {
            /**
             * @description Task event type → on/off (every task event type is listed; unset ones are on)
             * @example {
             *       "task.created": true,
             *       "task.updated": true,
             *       "task.assigned": true,
             *       "task.unassigned": true,
             *       "task.started": true,
             *       "task.paused": true,
             *       "task.completed": true,
             *       "task.cancelled": false,
             *       "task.deleted": true,
             *       "task.commented": false,
             *       "task.due_soon": true,
             *       "task.overdue": true
             *     }
             */
            email: {
                [key: string]: boolean;
            };
            /**
             * @description Email digest window: "off" (default: every email at once) or "10s".."24h" (e.g. "15m", "1h"). With a window, the first email notification opens it, every email notification inside it is held, and when it closes ONE email lists them all (their ledger rows share a `digestId`). In-app and webhooks are not affected.
             * @example off
             */
            emailDigest: string;
            /**
             * @description Task event type → on/off (every task event type is listed; unset ones are on)
             * @example {
             *       "task.created": true,
             *       "task.updated": true,
             *       "task.assigned": true,
             *       "task.unassigned": true,
             *       "task.started": true,
             *       "task.paused": true,
             *       "task.completed": true,
             *       "task.cancelled": true,
             *       "task.deleted": true,
             *       "task.commented": true,
             *       "task.due_soon": true,
             *       "task.overdue": true
             *     }
             */
            inApp: {
                [key: string]: boolean;
            };
        };
        NotificationResponseDto: {
            /**
             * Format: uuid
             * @description Who caused it; null for the system
             */
            actorId: string | null;
            /** @example Ada Admin assigned you “Write the quarterly report”. */
            body: string;
            /**
             * Format: date-time
             * @example 2026-11-29T10:15:00.000Z
             */
            createdAt: string;
            /**
             * Format: uuid
             * @description The event it is about
             * @example 019ac3f1-6a00-7b11-8d2e-1f2a3b4c5d6e
             */
            eventId: string;
            /**
             * Format: uuid
             * @example 019ac3f1-6b2e-7a10-9c3d-5e4f6a7b8c9d
             */
            id: string;
            /** @example https://taskwire.example.com/tasks/019ac3f1-5f00-7c22-9e3f-2a3b4c5d6e7f */
            link: string | null;
            /** @example false */
            read: boolean;
            /**
             * Format: date-time
             * @example null
             */
            readAt: string | null;
            /**
             * Format: uuid
             * @example 019ac3f1-5f00-7c22-9e3f-2a3b4c5d6e7f
             */
            taskId: string | null;
            /** @example Assigned to you: Write the quarterly report */
            title: string;
            /** @example task.assigned */
            type: string;
        };
        ProblemDto: {
            /**
             * @description 409 INVALID_TRANSITION: the `/transition` targets the caller may choose instead
             * @example [
             *       "in_progress",
             *       "draft",
             *       "cancelled"
             *     ]
             */
            allowedTransitions?: string[];
            /**
             * Format: uuid
             * @description 422 ASSIGNEE_NOT_FOUND and ASSIGNEE_INACTIVE: the assignee named
             * @example 019ad0c4-1111-7c3a-8f2d-4b6e9a1c7d30
             */
            assigneeId?: string;
            /**
             * @description Stable UPPER_SNAKE identifier
             * @example VALIDATION_FAILED
             */
            code: string;
            /**
             * @description 409 INVALID_TRANSITION and TASK_CLOSED: the task’s state now
             * @example assigned
             */
            currentState?: string;
            /** @example title: title must be shorter than or equal to 200 characters */
            detail: string;
            /** @description 400 VALIDATION_FAILED: one entry per invalid field */
            errors?: components["schemas"]["FieldErrorDto"][];
            /** @example /api/v1/tasks */
            instance: string;
            /**
             * @description 429 TOO_MANY_ATTEMPTS: seconds until the next attempt (also `Retry-After`)
             * @example 42
             */
            retryAfterSeconds?: number;
            /** @example 400 */
            status: number;
            /** @example Bad Request */
            title: string;
            /** @example https://taskwire.dev/problems/validation-failed */
            type: string;
        };
        RefreshTokenRequestDto: {
            /**
             * @description The refresh token of the session
             * @example q8N2m0fJtC7yVYbq3s1kQbW5uH4x9aLz0pR2eT6wUvY
             */
            refreshToken: string;
        };
        RegisterRequestDto: {
            /**
             * Format: email
             * @example ada@example.com
             */
            email: string;
            /** @example Ada Lovelace */
            name: string;
            /**
             * Format: password
             * @example correct horse battery staple
             */
            password: string;
        };
        /** @enum {string} */
        Role: "admin" | "manager" | "member";
        SessionResponseDto: {
            /**
             * @description HS256 JWT to send as `Authorization: Bearer <accessToken>`
             * @example eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIwMTkyZjNhNC01YjZjLTdkOGUtOWYwMS0yMzQ1Njc4OWFiY2QiLCJyb2xlIjoibWVtYmVyIn0.c2lnbmF0dXJl
             */
            accessToken: string;
            /**
             * @description Access token lifetime in seconds
             * @example 900
             */
            expiresIn: number;
            /**
             * @description Opaque; exchange it at /auth/refresh for a new pair (it then stops working). Keep it secret.
             * @example q8N2m0fJtC7yVYbq3s1kQbW5uH4x9aLz0pR2eT6wUvY
             */
            refreshToken: string;
            /**
             * @example Bearer
             * @enum {string}
             */
            tokenType: "Bearer";
            user: components["schemas"]["UserResponseDto"];
        };
        TaskCommentResponseDto: {
            /**
             * Format: uuid
             * @example 019ad0c4-1111-7c3a-8f2d-4b6e9a1c7d30
             */
            authorId: string;
            /** @example Finance sent the numbers, charts next. */
            body: string;
            /**
             * Format: date-time
             * @example 2025-11-20T10:02:00.000Z
             */
            createdAt: string;
            /**
             * Format: uuid
             * @example 019ad0c5-0a0b-7c3a-8f2d-4b6e9a1c7d30
             */
            id: string;
            /**
             * Format: uuid
             * @example 019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30
             */
            taskId: string;
        };
        TaskEventResponseDto: {
            /**
             * Format: uuid
             * @description Who caused it; null for the system
             * @example 019ad0c4-1111-7c3a-8f2d-4b6e9a1c7d30
             */
            actorId: string | null;
            /**
             * Format: uuid
             * @example 019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30
             */
            aggregateId: string;
            /** @example task */
            aggregateType: string;
            /**
             * Format: uuid
             * @description The event whose handler caused this one
             * @example null
             */
            causationId: string | null;
            /**
             * @description X-Request-Id of the causing request
             * @example 019ad0c4-5e1f-7000-8000-00000000abcd
             */
            correlationId: string | null;
            /**
             * Format: uuid
             * @example 019ad0c4-5e20-7000-8000-000000000001
             */
            id: string;
            /**
             * Format: date-time
             * @example 2025-11-20T09:30:00.000Z
             */
            occurredAt: string;
            /**
             * @example {
             *       "title": "Prepare the Q3 report",
             *       "creatorId": "019ad0c4-1111-7c3a-8f2d-4b6e9a1c7d30",
             *       "assigneeId": "019ad0c4-1111-7c3a-8f2d-4b6e9a1c7d30",
             *       "state": "assigned",
             *       "version": 2,
             *       "previousAssigneeId": null,
             *       "previousState": "draft"
             *     }
             */
            payload: {
                [key: string]: unknown;
            };
            /** @example task.assigned */
            type: string;
        };
        TaskResponseDto: {
            /**
             * @description The `/transition` targets the caller may choose now
             * @example [
             *       "in_progress",
             *       "draft",
             *       "cancelled"
             *     ]
             */
            allowedTransitions: ("draft" | "assigned" | "in_progress" | "completed" | "cancelled")[];
            /**
             * Format: uuid
             * @example 019ad0c4-1111-7c3a-8f2d-4b6e9a1c7d30
             */
            assigneeId: string | null;
            /** @example null */
            cancellationReason: string | null;
            /**
             * Format: date-time
             * @example null
             */
            cancelledAt: string | null;
            /**
             * Format: date-time
             * @example null
             */
            completedAt: string | null;
            /**
             * Format: date-time
             * @example 2025-11-20T09:30:00.000Z
             */
            createdAt: string;
            /**
             * Format: uuid
             * @example 019ad0c4-1111-7c3a-8f2d-4b6e9a1c7d30
             */
            creatorId: string;
            /** @example Numbers from finance, charts for the board. */
            description: string | null;
            /**
             * Format: date-time
             * @example 2025-12-01T17:00:00.000Z
             */
            dueAt: string | null;
            /**
             * Format: uuid
             * @example 019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30
             */
            id: string;
            /**
             * @example [
             *       "finance",
             *       "q3"
             *     ]
             */
            labels: string[];
            /**
             * @example high
             * @enum {string}
             */
            priority: "low" | "normal" | "high" | "urgent";
            /**
             * @example assigned
             * @enum {string}
             */
            state: "draft" | "assigned" | "in_progress" | "completed" | "cancelled";
            /** @example Prepare the Q3 report */
            title: string;
            /**
             * Format: date-time
             * @example 2025-11-20T09:31:12.000Z
             */
            updatedAt: string;
            /**
             * @description Grows by one with every change; the ETag is derived from it
             * @example 2
             */
            version: number;
        };
        TaskWatcherListResponseDto: {
            /** @description Every watcher, oldest first */
            data: components["schemas"]["TaskWatcherResponseDto"][];
            /**
             * @description Always null: the whole list fits one page
             * @example null
             */
            nextCursor: string | null;
        };
        TaskWatcherResponseDto: {
            /**
             * Format: date-time
             * @description When they started watching
             * @example 2025-11-20T10:05:00.000Z
             */
            since: string;
            /**
             * Format: uuid
             * @example 019ad0c4-1111-7c3a-8f2d-4b6e9a1c7d30
             */
            userId: string;
        };
        TransitionTaskRequestDto: {
            /**
             * @description Why (kept as `cancellationReason` when cancelling)
             * @example Superseded by the annual report
             */
            reason?: string | null;
            /**
             * @description Target state: `in_progress` (start, from assigned), `completed` (from in_progress), `assigned` (pause, from in_progress), `draft` (unassign, from assigned), `cancelled` (from draft, assigned or in_progress). `completed` and `cancelled` are final.
             * @example in_progress
             * @enum {string}
             */
            state: "draft" | "assigned" | "in_progress" | "completed" | "cancelled";
        };
        UnreadCountResponseDto: {
            /** @example 3 */
            count: number;
        };
        UpdateMeRequestDto: {
            /**
             * Format: password
             * @description Required when `password` is given
             * @example correct horse battery staple
             */
            currentPassword?: string;
            /** @example Ada King */
            name?: string;
            /**
             * Format: password
             * @example a new long passphrase
             */
            password?: string;
        };
        UpdateTaskRequestDto: {
            /**
             * @description `null` or blank clears it
             * @example null
             */
            description?: string | null;
            /**
             * Format: date-time
             * @description `null` clears it
             * @example 2025-12-05T12:00:00Z
             */
            dueAt?: string | null;
            /**
             * @description Replaces the labels
             * @example [
             *       "finance"
             *     ]
             */
            labels?: string[];
            /**
             * @example urgent
             * @enum {string}
             */
            priority?: "low" | "normal" | "high" | "urgent";
            /** @example Prepare the Q3 report (final) */
            title?: string;
        };
        UpdateUserRequestDto: {
            /**
             * @description false deactivates (signs the user out everywhere), true reactivates
             * @example false
             */
            active?: boolean;
            /** @example Grace Brewster Hopper */
            name?: string;
            /** @example admin */
            role?: components["schemas"]["Role"];
        };
        UpdateWebhookRequestDto: {
            /**
             * @description `true` re-enables a disabled endpoint (and clears its failure record); `false` disables it
             * @example true
             */
            active?: boolean;
            /** @example CRM sync (v2) */
            description?: string | null;
            /**
             * @description Event types to receive (task.created, task.updated, task.assigned, task.unassigned, task.started, task.paused, task.completed, task.cancelled, task.deleted, task.commented, task.due_soon, task.overdue, user.registered, user.role_changed, user.deactivated, user.reactivated, webhook.disabled), or `["*"]` for all
             * @example [
             *       "*"
             *     ]
             */
            events?: string[];
            /** @example https://hooks.example.com/taskwire-v2 */
            url?: string;
        };
        UserResponseDto: {
            /**
             * @description Deactivated users cannot sign in
             * @example true
             */
            active: boolean;
            /**
             * Format: date-time
             * @example 2026-01-15T09:30:00.000Z
             */
            createdAt: string;
            /**
             * Format: email
             * @description Stored lower-cased; unique case-insensitively
             * @example ada@example.com
             */
            email: string;
            /**
             * Format: uuid
             * @example 0192f3a4-5b6c-7d8e-9f01-23456789abcd
             */
            id: string;
            /** @example Ada Lovelace */
            name: string;
            /** @example member */
            role: components["schemas"]["Role"];
            /**
             * Format: date-time
             * @example 2026-01-15T09:30:00.000Z
             */
            updatedAt: string;
        };
        WebhookResponseDto: {
            /**
             * @description false once disabled (by an admin, or automatically after failing continuously for WEBHOOK_DISABLE_AFTER)
             * @example true
             */
            active: boolean;
            /**
             * Format: date-time
             * @example 2026-11-29T09:00:00.000Z
             */
            createdAt: string;
            /** @example CRM sync */
            description: string | null;
            /**
             * Format: date-time
             * @example null
             */
            disabledAt: string | null;
            /**
             * @description Why it is disabled, e.g. `failing continuously since 2026-11-26T09:00:00.000Z`
             * @example null
             */
            disabledReason: string | null;
            /**
             * @example [
             *       "task.assigned",
             *       "task.completed"
             *     ]
             */
            events: string[];
            /**
             * Format: date-time
             * @description Start of the current run of failed attempts
             * @example null
             */
            failingSince: string | null;
            /**
             * Format: uuid
             * @example 019ac3f1-8000-7e44-9051-4c5d6e7f8091
             */
            id: string;
            /**
             * Format: date-time
             * @description Until then the previous secret signs too (after a rotation)
             * @example null
             */
            previousSecretExpiresAt: string | null;
            /**
             * Format: date-time
             * @example 2026-11-29T09:00:00.000Z
             */
            updatedAt: string;
            /** @example https://hooks.example.com/taskwire */
            url: string;
        };
        WebhookWithSecretResponseDto: {
            /**
             * @description false once disabled (by an admin, or automatically after failing continuously for WEBHOOK_DISABLE_AFTER)
             * @example true
             */
            active: boolean;
            /**
             * Format: date-time
             * @example 2026-11-29T09:00:00.000Z
             */
            createdAt: string;
            /** @example CRM sync */
            description: string | null;
            /**
             * Format: date-time
             * @example null
             */
            disabledAt: string | null;
            /**
             * @description Why it is disabled, e.g. `failing continuously since 2026-11-26T09:00:00.000Z`
             * @example null
             */
            disabledReason: string | null;
            /**
             * @example [
             *       "task.assigned",
             *       "task.completed"
             *     ]
             */
            events: string[];
            /**
             * Format: date-time
             * @description Start of the current run of failed attempts
             * @example null
             */
            failingSince: string | null;
            /**
             * Format: uuid
             * @example 019ac3f1-8000-7e44-9051-4c5d6e7f8091
             */
            id: string;
            /**
             * Format: date-time
             * @description Until then the previous secret signs too (after a rotation)
             * @example null
             */
            previousSecretExpiresAt: string | null;
            /**
             * @description The signing secret (Standard Webhooks). Shown only in this response: store it now.
             * @example whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
             */
            secret: string;
            /**
             * Format: date-time
             * @example 2026-11-29T09:00:00.000Z
             */
            updatedAt: string;
            /** @example https://hooks.example.com/taskwire */
            url: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: {
        /** @description URL path of the created resource */
        Location: string;
        /** @description Requests allowed per window by the limit that applies (per user, or per IP when anonymous) */
        "RateLimit-Limit": number;
        /** @description Requests left in the current window */
        "RateLimit-Remaining": number;
        /** @description Seconds until the window resets */
        "RateLimit-Reset": number;
        /** @description Seconds to wait before retrying */
        "Retry-After": number;
        /** @description The request id (the client’s `X-Request-Id` when it sent one, generated otherwise); the correlation id of the events it causes */
        "X-Request-Id": string;
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    "admin.getStatus": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Status */
            200: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unauthenticated",
                     *       "title": "Unauthorized",
                     *       "status": 401,
                     *       "detail": "The access token has expired",
                     *       "instance": "/api/v1/admin/status",
                     *       "code": "UNAUTHENTICATED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Authenticated but not allowed */
            403: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/forbidden",
                     *       "title": "Forbidden",
                     *       "status": 403,
                     *       "detail": "You are not allowed to do this",
                     *       "instance": "/api/v1/admin/status",
                     *       "code": "FORBIDDEN"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Rate limited (see `Retry-After`) */
            429: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/rate-limited",
                     *       "title": "Too Many Requests",
                     *       "status": 429,
                     *       "detail": "Too many requests; retry in 1 minute",
                     *       "instance": "/api/v1/admin/status",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    "auth.login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LoginRequestDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionResponseDto"];
                };
            };
            /** @description Malformed JSON or invalid fields (`errors[]` lists each) */
            400: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/validation-failed",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "detail": "title: title must be shorter than or equal to 200 characters",
                     *       "instance": "/api/v1/auth/login",
                     *       "code": "VALIDATION_FAILED",
                     *       "errors": [
                     *         {
                     *           "field": "title",
                     *           "message": "title must be shorter than or equal to 200 characters"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/invalid-credentials",
                     *       "title": "Unauthorized",
                     *       "status": 401,
                     *       "detail": "Invalid email or password",
                     *       "instance": "/api/v1/auth/login",
                     *       "code": "INVALID_CREDENTIALS"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Body too large */
            413: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/payload-too-large",
                     *       "title": "Content Too Large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than the limit",
                     *       "instance": "/api/v1/auth/login",
                     *       "code": "PAYLOAD_TOO_LARGE"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Body is not JSON */
            415: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unsupported-media-type",
                     *       "title": "Unsupported Media Type",
                     *       "status": 415,
                     *       "detail": "Send the body as application/json",
                     *       "instance": "/api/v1/auth/login",
                     *       "code": "UNSUPPORTED_MEDIA_TYPE"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Rate limited (see `Retry-After`) */
            429: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/too-many-attempts",
                     *       "title": "Too Many Requests",
                     *       "status": 429,
                     *       "detail": "Too many attempts, try again later",
                     *       "instance": "/api/v1/auth/login",
                     *       "code": "TOO_MANY_ATTEMPTS",
                     *       "retryAfterSeconds": 42
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    "auth.logout": {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry of this request safe: the same key with the same request within 24 h replays the first response (`Idempotent-Replayed: true`) instead of running again. Scoped to the authenticated user; ignored on unauthenticated calls. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RefreshTokenRequestDto"];
            };
        };
        responses: {
            /** @description Signed out */
            204: {
                headers: {
                    /** @description `true` when this response is the stored response of an earlier request with the same `Idempotency-Key` */
                    "Idempotent-Replayed"?: "true";
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Malformed JSON or invalid fields (`errors[]` lists each); or `INVALID_IDEMPOTENCY_KEY` */
            400: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/validation-failed",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "detail": "title: title must be shorter than or equal to 200 characters",
                     *       "instance": "/api/v1/auth/logout",
                     *       "code": "VALIDATION_FAILED",
                     *       "errors": [
                     *         {
                     *           "field": "title",
                     *           "message": "title must be shorter than or equal to 200 characters"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unauthenticated",
                     *       "title": "Unauthorized",
                     *       "status": 401,
                     *       "detail": "The access token has expired",
                     *       "instance": "/api/v1/auth/logout",
                     *       "code": "UNAUTHENTICATED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Conflicts with the current state, or `IDEMPOTENCY_IN_PROGRESS` (retry shortly) */
            409: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/conflict",
                     *       "title": "Conflict",
                     *       "status": 409,
                     *       "detail": "Conflicts with the current state",
                     *       "instance": "/api/v1/auth/logout",
                     *       "code": "CONFLICT"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Body too large */
            413: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/payload-too-large",
                     *       "title": "Content Too Large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than the limit",
                     *       "instance": "/api/v1/auth/logout",
                     *       "code": "PAYLOAD_TOO_LARGE"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Body is not JSON */
            415: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unsupported-media-type",
                     *       "title": "Unsupported Media Type",
                     *       "status": 415,
                     *       "detail": "Send the body as application/json",
                     *       "instance": "/api/v1/auth/logout",
                     *       "code": "UNSUPPORTED_MEDIA_TYPE"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Refers to something invalid, or `IDEMPOTENCY_KEY_REUSED` */
            422: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/idempotency-key-reused",
                     *       "title": "Unprocessable Content",
                     *       "status": 422,
                     *       "detail": "The Idempotency-Key was used for a different request",
                     *       "instance": "/api/v1/auth/logout",
                     *       "code": "IDEMPOTENCY_KEY_REUSED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Rate limited (see `Retry-After`) */
            429: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/too-many-attempts",
                     *       "title": "Too Many Requests",
                     *       "status": 429,
                     *       "detail": "Too many attempts, try again later",
                     *       "instance": "/api/v1/auth/logout",
                     *       "code": "TOO_MANY_ATTEMPTS",
                     *       "retryAfterSeconds": 42
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    "auth.refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RefreshTokenRequestDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionResponseDto"];
                };
            };
            /** @description Malformed JSON or invalid fields (`errors[]` lists each) */
            400: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/validation-failed",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "detail": "title: title must be shorter than or equal to 200 characters",
                     *       "instance": "/api/v1/auth/refresh",
                     *       "code": "VALIDATION_FAILED",
                     *       "errors": [
                     *         {
                     *           "field": "title",
                     *           "message": "title must be shorter than or equal to 200 characters"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unauthenticated",
                     *       "title": "Unauthorized",
                     *       "status": 401,
                     *       "detail": "The access token has expired",
                     *       "instance": "/api/v1/auth/refresh",
                     *       "code": "UNAUTHENTICATED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Body too large */
            413: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/payload-too-large",
                     *       "title": "Content Too Large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than the limit",
                     *       "instance": "/api/v1/auth/refresh",
                     *       "code": "PAYLOAD_TOO_LARGE"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Body is not JSON */
            415: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unsupported-media-type",
                     *       "title": "Unsupported Media Type",
                     *       "status": 415,
                     *       "detail": "Send the body as application/json",
                     *       "instance": "/api/v1/auth/refresh",
                     *       "code": "UNSUPPORTED_MEDIA_TYPE"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Rate limited (see `Retry-After`) */
            429: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/too-many-attempts",
                     *       "title": "Too Many Requests",
                     *       "status": 429,
                     *       "detail": "Too many attempts, try again later",
                     *       "instance": "/api/v1/auth/refresh",
                     *       "code": "TOO_MANY_ATTEMPTS",
                     *       "retryAfterSeconds": 42
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    "auth.register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RegisterRequestDto"];
            };
        };
        responses: {
            /** @description The new account, signed in; `Location` names the new user */
            201: {
                headers: {
                    Location: components["headers"]["Location"];
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionResponseDto"];
                };
            };
            /** @description Malformed JSON or invalid fields (`errors[]` lists each) */
            400: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/validation-failed",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "detail": "title: title must be shorter than or equal to 200 characters",
                     *       "instance": "/api/v1/auth/register",
                     *       "code": "VALIDATION_FAILED",
                     *       "errors": [
                     *         {
                     *           "field": "title",
                     *           "message": "title must be shorter than or equal to 200 characters"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Authenticated but not allowed */
            403: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/forbidden",
                     *       "title": "Forbidden",
                     *       "status": 403,
                     *       "detail": "You are not allowed to do this",
                     *       "instance": "/api/v1/auth/register",
                     *       "code": "FORBIDDEN"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/email-taken",
                     *       "title": "Conflict",
                     *       "status": 409,
                     *       "detail": "A user with this email already exists",
                     *       "instance": "/api/v1/auth/register",
                     *       "code": "EMAIL_TAKEN"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Body too large */
            413: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/payload-too-large",
                     *       "title": "Content Too Large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than the limit",
                     *       "instance": "/api/v1/auth/register",
                     *       "code": "PAYLOAD_TOO_LARGE"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Body is not JSON */
            415: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unsupported-media-type",
                     *       "title": "Unsupported Media Type",
                     *       "status": 415,
                     *       "detail": "Send the body as application/json",
                     *       "instance": "/api/v1/auth/register",
                     *       "code": "UNSUPPORTED_MEDIA_TYPE"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Rate limited (see `Retry-After`) */
            429: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/too-many-attempts",
                     *       "title": "Too Many Requests",
                     *       "status": 429,
                     *       "detail": "Too many attempts, try again later",
                     *       "instance": "/api/v1/auth/register",
                     *       "code": "TOO_MANY_ATTEMPTS",
                     *       "retryAfterSeconds": 42
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    "deliveries.list": {
        parameters: {
            query?: {
                /** @description `email`, `in_app`, `webhook`, or an added channel. e.g. `email` */
                channel?: string;
                /** @description Opaque cursor from a previous page's `nextCursor`; valid only with the same filters (other query parameters than `limit`), else 400 */
                cursor?: string;
                eventId?: string;
                limit?: number;
                recipientId?: string;
                status?: "pending" | "sent" | "failed" | "dead" | "suppressed";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of results */
            200: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["DeliveryResponseDto"][];
                        /** @description Pass as `cursor` for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Malformed JSON or invalid fields (`errors[]` lists each) */
            400: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/validation-failed",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "detail": "title: title must be shorter than or equal to 200 characters",
                     *       "instance": "/api/v1/deliveries",
                     *       "code": "VALIDATION_FAILED",
                     *       "errors": [
                     *         {
                     *           "field": "title",
                     *           "message": "title must be shorter than or equal to 200 characters"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unauthenticated",
                     *       "title": "Unauthorized",
                     *       "status": 401,
                     *       "detail": "The access token has expired",
                     *       "instance": "/api/v1/deliveries",
                     *       "code": "UNAUTHENTICATED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Authenticated but not allowed */
            403: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/forbidden",
                     *       "title": "Forbidden",
                     *       "status": 403,
                     *       "detail": "You are not allowed to do this",
                     *       "instance": "/api/v1/deliveries",
                     *       "code": "FORBIDDEN"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Rate limited (see `Retry-After`) */
            429: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/rate-limited",
                     *       "title": "Too Many Requests",
                     *       "status": 429,
                     *       "detail": "Too many requests; retry in 1 minute",
                     *       "instance": "/api/v1/deliveries",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    "deliveries.retry": {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry of this request safe: the same key with the same request within 24 h replays the first response (`Idempotent-Replayed: true`) instead of running again. Scoped to the authenticated user; ignored on unauthenticated calls. */
                "Idempotency-Key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Queued; the delivery as it is now */
            202: {
                headers: {
                    /** @description `true` when this response is the stored response of an earlier request with the same `Idempotency-Key` */
                    "Idempotent-Replayed"?: "true";
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeliveryResponseDto"];
                };
            };
            /** @description Malformed JSON or invalid fields (`errors[]` lists each); or `INVALID_IDEMPOTENCY_KEY` */
            400: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/validation-failed",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "detail": "title: title must be shorter than or equal to 200 characters",
                     *       "instance": "/api/v1/deliveries/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/retry",
                     *       "code": "VALIDATION_FAILED",
                     *       "errors": [
                     *         {
                     *           "field": "title",
                     *           "message": "title must be shorter than or equal to 200 characters"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unauthenticated",
                     *       "title": "Unauthorized",
                     *       "status": 401,
                     *       "detail": "The access token has expired",
                     *       "instance": "/api/v1/deliveries/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/retry",
                     *       "code": "UNAUTHENTICATED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Authenticated but not allowed */
            403: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/forbidden",
                     *       "title": "Forbidden",
                     *       "status": 403,
                     *       "detail": "You are not allowed to do this",
                     *       "instance": "/api/v1/deliveries/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/retry",
                     *       "code": "FORBIDDEN"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Unknown, or not visible to the caller */
            404: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/not-found",
                     *       "title": "Not Found",
                     *       "status": 404,
                     *       "detail": "Not found (or not visible to you)",
                     *       "instance": "/api/v1/deliveries/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/retry",
                     *       "code": "NOT_FOUND"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Conflicts with the current state; or `IDEMPOTENCY_IN_PROGRESS` */
            409: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/conflict",
                     *       "title": "Conflict",
                     *       "status": 409,
                     *       "detail": "Conflicts with the current state",
                     *       "instance": "/api/v1/deliveries/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/retry",
                     *       "code": "CONFLICT"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Refers to something invalid, or `IDEMPOTENCY_KEY_REUSED` */
            422: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/idempotency-key-reused",
                     *       "title": "Unprocessable Content",
                     *       "status": 422,
                     *       "detail": "The Idempotency-Key was used for a different request",
                     *       "instance": "/api/v1/deliveries/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/retry",
                     *       "code": "IDEMPOTENCY_KEY_REUSED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Rate limited (see `Retry-After`) */
            429: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/rate-limited",
                     *       "title": "Too Many Requests",
                     *       "status": 429,
                     *       "detail": "Too many requests; retry in 1 minute",
                     *       "instance": "/api/v1/deliveries/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/retry",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    "events.list": {
        parameters: {
            query?: {
                actorId?: string;
                /** @description Only events that occurred at or after this time */
                after?: string;
                aggregateId?: string;
                /** @description Only events that occurred before this time */
                before?: string;
                /** @description Opaque cursor from a previous page's `nextCursor`; valid only with the same filters (other query parameters than `limit`), else 400 */
                cursor?: string;
                limit?: number;
                type?: "task.created" | "task.updated" | "task.assigned" | "task.unassigned" | "task.started" | "task.paused" | "task.completed" | "task.cancelled" | "task.deleted" | "task.commented" | "task.due_soon" | "task.overdue" | "user.registered" | "user.role_changed" | "user.deactivated" | "user.reactivated" | "webhook.disabled";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of results */
            200: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["EventResponseDto"][];
                        /** @description Pass as `cursor` for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Malformed JSON or invalid fields (`errors[]` lists each) */
            400: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/validation-failed",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "detail": "title: title must be shorter than or equal to 200 characters",
                     *       "instance": "/api/v1/events",
                     *       "code": "VALIDATION_FAILED",
                     *       "errors": [
                     *         {
                     *           "field": "title",
                     *           "message": "title must be shorter than or equal to 200 characters"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unauthenticated",
                     *       "title": "Unauthorized",
                     *       "status": 401,
                     *       "detail": "The access token has expired",
                     *       "instance": "/api/v1/events",
                     *       "code": "UNAUTHENTICATED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Authenticated but not allowed */
            403: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/forbidden",
                     *       "title": "Forbidden",
                     *       "status": 403,
                     *       "detail": "You are not allowed to do this",
                     *       "instance": "/api/v1/events",
                     *       "code": "FORBIDDEN"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Rate limited (see `Retry-After`) */
            429: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/rate-limited",
                     *       "title": "Too Many Requests",
                     *       "status": 429,
                     *       "detail": "Too many requests; retry in 1 minute",
                     *       "instance": "/api/v1/events",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    "events.get": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventResponseDto"];
                };
            };
            /** @description Malformed JSON or invalid fields (`errors[]` lists each) */
            400: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/validation-failed",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "detail": "title: title must be shorter than or equal to 200 characters",
                     *       "instance": "/api/v1/events/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "VALIDATION_FAILED",
                     *       "errors": [
                     *         {
                     *           "field": "title",
                     *           "message": "title must be shorter than or equal to 200 characters"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unauthenticated",
                     *       "title": "Unauthorized",
                     *       "status": 401,
                     *       "detail": "The access token has expired",
                     *       "instance": "/api/v1/events/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "UNAUTHENTICATED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Authenticated but not allowed */
            403: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/forbidden",
                     *       "title": "Forbidden",
                     *       "status": 403,
                     *       "detail": "You are not allowed to do this",
                     *       "instance": "/api/v1/events/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "FORBIDDEN"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Unknown, or not visible to the caller */
            404: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/not-found",
                     *       "title": "Not Found",
                     *       "status": 404,
                     *       "detail": "Not found (or not visible to you)",
                     *       "instance": "/api/v1/events/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "NOT_FOUND"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Rate limited (see `Retry-After`) */
            429: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/rate-limited",
                     *       "title": "Too Many Requests",
                     *       "status": 429,
                     *       "detail": "Too many requests; retry in 1 minute",
                     *       "instance": "/api/v1/events/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    "events.stream": {
        parameters: {
            query?: never;
            header?: {
                /** @description Resume after this event id (also accepted as the query parameter `?lastEventId=`, for clients that cannot set headers) */
                "Last-Event-ID"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description An event stream */
            200: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description Malformed JSON or invalid fields (`errors[]` lists each) */
            400: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/validation-failed",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "detail": "title: title must be shorter than or equal to 200 characters",
                     *       "instance": "/api/v1/events/stream",
                     *       "code": "VALIDATION_FAILED",
                     *       "errors": [
                     *         {
                     *           "field": "title",
                     *           "message": "title must be shorter than or equal to 200 characters"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unauthenticated",
                     *       "title": "Unauthorized",
                     *       "status": 401,
                     *       "detail": "The access token has expired",
                     *       "instance": "/api/v1/events/stream",
                     *       "code": "UNAUTHENTICATED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Rate limited (see `Retry-After`) */
            429: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/rate-limited",
                     *       "title": "Too Many Requests",
                     *       "status": 429,
                     *       "detail": "Too many requests; retry in 1 minute",
                     *       "instance": "/api/v1/events/stream",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    "preferences.get": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NotificationPreferencesResponseDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unauthenticated",
                     *       "title": "Unauthorized",
                     *       "status": 401,
                     *       "detail": "The access token has expired",
                     *       "instance": "/api/v1/notification-preferences",
                     *       "code": "UNAUTHENTICATED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Rate limited (see `Retry-After`) */
            429: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/rate-limited",
                     *       "title": "Too Many Requests",
                     *       "status": 429,
                     *       "detail": "Too many requests; retry in 1 minute",
                     *       "instance": "/api/v1/notification-preferences",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    "preferences.update": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @description "off" or a digest window from "10s" to "24h"
                     * @example 15m
                     */
                    emailDigest?: string;
                } & {
                    [key: string]: {
                        [key: string]: boolean;
                    };
                };
            };
        };
        responses: {
            200: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NotificationPreferencesResponseDto"];
                };
            };
            /** @description Malformed JSON or invalid fields (`errors[]` lists each) */
            400: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/validation-failed",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "detail": "title: title must be shorter than or equal to 200 characters",
                     *       "instance": "/api/v1/notification-preferences",
                     *       "code": "VALIDATION_FAILED",
                     *       "errors": [
                     *         {
                     *           "field": "title",
                     *           "message": "title must be shorter than or equal to 200 characters"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unauthenticated",
                     *       "title": "Unauthorized",
                     *       "status": 401,
                     *       "detail": "The access token has expired",
                     *       "instance": "/api/v1/notification-preferences",
                     *       "code": "UNAUTHENTICATED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Body too large */
            413: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/payload-too-large",
                     *       "title": "Content Too Large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than the limit",
                     *       "instance": "/api/v1/notification-preferences",
                     *       "code": "PAYLOAD_TOO_LARGE"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Body is not JSON */
            415: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unsupported-media-type",
                     *       "title": "Unsupported Media Type",
                     *       "status": 415,
                     *       "detail": "Send the body as application/json",
                     *       "instance": "/api/v1/notification-preferences",
                     *       "code": "UNSUPPORTED_MEDIA_TYPE"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Rate limited (see `Retry-After`) */
            429: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/rate-limited",
                     *       "title": "Too Many Requests",
                     *       "status": 429,
                     *       "detail": "Too many requests; retry in 1 minute",
                     *       "instance": "/api/v1/notification-preferences",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    "notifications.list": {
        parameters: {
            query?: {
                /** @description Opaque cursor from a previous page's `nextCursor`; valid only with the same filters (other query parameters than `limit`), else 400 */
                cursor?: string;
                limit?: number;
                /** @description `true`: only unread notifications. e.g. `true` */
                unread?: "true" | "false";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of results */
            200: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["NotificationResponseDto"][];
                        /** @description Pass as `cursor` for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Malformed JSON or invalid fields (`errors[]` lists each) */
            400: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/validation-failed",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "detail": "title: title must be shorter than or equal to 200 characters",
                     *       "instance": "/api/v1/notifications",
                     *       "code": "VALIDATION_FAILED",
                     *       "errors": [
                     *         {
                     *           "field": "title",
                     *           "message": "title must be shorter than or equal to 200 characters"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unauthenticated",
                     *       "title": "Unauthorized",
                     *       "status": 401,
                     *       "detail": "The access token has expired",
                     *       "instance": "/api/v1/notifications",
                     *       "code": "UNAUTHENTICATED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Rate limited (see `Retry-After`) */
            429: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/rate-limited",
                     *       "title": "Too Many Requests",
                     *       "status": 429,
                     *       "detail": "Too many requests; retry in 1 minute",
                     *       "instance": "/api/v1/notifications",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    "notifications.read": {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry of this request safe: the same key with the same request within 24 h replays the first response (`Idempotent-Replayed: true`) instead of running again. Scoped to the authenticated user; ignored on unauthenticated calls. */
                "Idempotency-Key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Read */
            204: {
                headers: {
                    /** @description `true` when this response is the stored response of an earlier request with the same `Idempotency-Key` */
                    "Idempotent-Replayed"?: "true";
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Malformed JSON or invalid fields (`errors[]` lists each); or `INVALID_IDEMPOTENCY_KEY` */
            400: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/validation-failed",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "detail": "title: title must be shorter than or equal to 200 characters",
                     *       "instance": "/api/v1/notifications/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/read",
                     *       "code": "VALIDATION_FAILED",
                     *       "errors": [
                     *         {
                     *           "field": "title",
                     *           "message": "title must be shorter than or equal to 200 characters"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unauthenticated",
                     *       "title": "Unauthorized",
                     *       "status": 401,
                     *       "detail": "The access token has expired",
                     *       "instance": "/api/v1/notifications/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/read",
                     *       "code": "UNAUTHENTICATED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Unknown, or not visible to the caller */
            404: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/not-found",
                     *       "title": "Not Found",
                     *       "status": 404,
                     *       "detail": "Not found (or not visible to you)",
                     *       "instance": "/api/v1/notifications/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/read",
                     *       "code": "NOT_FOUND"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Conflicts with the current state, or `IDEMPOTENCY_IN_PROGRESS` (retry shortly) */
            409: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/conflict",
                     *       "title": "Conflict",
                     *       "status": 409,
                     *       "detail": "Conflicts with the current state",
                     *       "instance": "/api/v1/notifications/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/read",
                     *       "code": "CONFLICT"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Refers to something invalid, or `IDEMPOTENCY_KEY_REUSED` */
            422: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/idempotency-key-reused",
                     *       "title": "Unprocessable Content",
                     *       "status": 422,
                     *       "detail": "The Idempotency-Key was used for a different request",
                     *       "instance": "/api/v1/notifications/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/read",
                     *       "code": "IDEMPOTENCY_KEY_REUSED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Rate limited (see `Retry-After`) */
            429: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/rate-limited",
                     *       "title": "Too Many Requests",
                     *       "status": 429,
                     *       "detail": "Too many requests; retry in 1 minute",
                     *       "instance": "/api/v1/notifications/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/read",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    "notifications.readAll": {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry of this request safe: the same key with the same request within 24 h replays the first response (`Idempotent-Replayed: true`) instead of running again. Scoped to the authenticated user; ignored on unauthenticated calls. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description All read */
            204: {
                headers: {
                    /** @description `true` when this response is the stored response of an earlier request with the same `Idempotency-Key` */
                    "Idempotent-Replayed"?: "true";
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid fields, or `INVALID_IDEMPOTENCY_KEY` */
            400: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/validation-failed",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "detail": "title: title must be shorter than or equal to 200 characters",
                     *       "instance": "/api/v1/notifications/read-all",
                     *       "code": "VALIDATION_FAILED",
                     *       "errors": [
                     *         {
                     *           "field": "title",
                     *           "message": "title must be shorter than or equal to 200 characters"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unauthenticated",
                     *       "title": "Unauthorized",
                     *       "status": 401,
                     *       "detail": "The access token has expired",
                     *       "instance": "/api/v1/notifications/read-all",
                     *       "code": "UNAUTHENTICATED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Conflicts with the current state, or `IDEMPOTENCY_IN_PROGRESS` (retry shortly) */
            409: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/conflict",
                     *       "title": "Conflict",
                     *       "status": 409,
                     *       "detail": "Conflicts with the current state",
                     *       "instance": "/api/v1/notifications/read-all",
                     *       "code": "CONFLICT"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Refers to something invalid, or `IDEMPOTENCY_KEY_REUSED` */
            422: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/idempotency-key-reused",
                     *       "title": "Unprocessable Content",
                     *       "status": 422,
                     *       "detail": "The Idempotency-Key was used for a different request",
                     *       "instance": "/api/v1/notifications/read-all",
                     *       "code": "IDEMPOTENCY_KEY_REUSED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Rate limited (see `Retry-After`) */
            429: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/rate-limited",
                     *       "title": "Too Many Requests",
                     *       "status": 429,
                     *       "detail": "Too many requests; retry in 1 minute",
                     *       "instance": "/api/v1/notifications/read-all",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    "notifications.countUnread": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UnreadCountResponseDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unauthenticated",
                     *       "title": "Unauthorized",
                     *       "status": 401,
                     *       "detail": "The access token has expired",
                     *       "instance": "/api/v1/notifications/unread-count",
                     *       "code": "UNAUTHENTICATED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Rate limited (see `Retry-After`) */
            429: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/rate-limited",
                     *       "title": "Too Many Requests",
                     *       "status": 429,
                     *       "detail": "Too many requests; retry in 1 minute",
                     *       "instance": "/api/v1/notifications/unread-count",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    "tasks.list": {
        parameters: {
            query?: {
                assigneeId?: string;
                creatorId?: string;
                /** @description Opaque cursor from a previous page's `nextCursor`; valid only with the same filters (other query parameters than `limit`), else 400 */
                cursor?: string;
                /** @description Only tasks due strictly before this time (tasks without a due date never match). e.g. `2025-12-31T00:00:00Z` */
                dueBefore?: string;
                /** @description Tasks carrying exactly this label. e.g. `finance` */
                label?: string;
                limit?: number;
                /** @description e.g. `urgent` */
                priority?: "low" | "normal" | "high" | "urgent";
                /** @description Full-text search over title and description (web-search syntax: words, "quoted phrases", -excluded, or). e.g. `quarterly report` */
                q?: string;
                /** @description `-` = descending. Ties break on id. Tasks without a due date sort after every date (`dueAt`) or before (`-dueAt`). priority: low < normal < high < urgent. */
                sort?: "createdAt" | "-createdAt" | "dueAt" | "-dueAt" | "priority" | "-priority";
                /** @description e.g. `in_progress` */
                state?: "draft" | "assigned" | "in_progress" | "completed" | "cancelled";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of results */
            200: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["TaskResponseDto"][];
                        /** @description Pass as `cursor` for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Malformed JSON or invalid fields (`errors[]` lists each) */
            400: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/validation-failed",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "detail": "title: title must be shorter than or equal to 200 characters",
                     *       "instance": "/api/v1/tasks",
                     *       "code": "VALIDATION_FAILED",
                     *       "errors": [
                     *         {
                     *           "field": "title",
                     *           "message": "title must be shorter than or equal to 200 characters"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unauthenticated",
                     *       "title": "Unauthorized",
                     *       "status": 401,
                     *       "detail": "The access token has expired",
                     *       "instance": "/api/v1/tasks",
                     *       "code": "UNAUTHENTICATED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Rate limited (see `Retry-After`) */
            429: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/rate-limited",
                     *       "title": "Too Many Requests",
                     *       "status": 429,
                     *       "detail": "Too many requests; retry in 1 minute",
                     *       "instance": "/api/v1/tasks",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    "tasks.create": {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes the POST safe to retry: the same key with the same body within 24 h replays the first response (`Idempotent-Replayed: true`); with a different body → 422 IDEMPOTENCY_KEY_REUSED; while the first is running → 409 IDEMPOTENCY_IN_PROGRESS */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateTaskRequestDto"];
            };
        };
        responses: {
            /** @description The new task */
            201: {
                headers: {
                    /** @description Weak entity tag of the task version, e.g. `W/"3"` */
                    ETag?: string;
                    /** @description `true` when this response is the stored response of an earlier request with the same `Idempotency-Key` */
                    "Idempotent-Replayed"?: "true";
                    /** @description URL of the new task */
                    Location?: string;
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskResponseDto"];
                };
            };
            /** @description Malformed JSON or invalid fields (`errors[]` lists each); or `INVALID_IDEMPOTENCY_KEY` */
            400: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/validation-failed",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "detail": "title: title must be shorter than or equal to 200 characters",
                     *       "instance": "/api/v1/tasks",
                     *       "code": "VALIDATION_FAILED",
                     *       "errors": [
                     *         {
                     *           "field": "title",
                     *           "message": "title must be shorter than or equal to 200 characters"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unauthenticated",
                     *       "title": "Unauthorized",
                     *       "status": 401,
                     *       "detail": "The access token has expired",
                     *       "instance": "/api/v1/tasks",
                     *       "code": "UNAUTHENTICATED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Authenticated but not allowed */
            403: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/forbidden",
                     *       "title": "Forbidden",
                     *       "status": 403,
                     *       "detail": "You are not allowed to do this",
                     *       "instance": "/api/v1/tasks",
                     *       "code": "FORBIDDEN"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Conflicts with the current state; or `IDEMPOTENCY_IN_PROGRESS` */
            409: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/conflict",
                     *       "title": "Conflict",
                     *       "status": 409,
                     *       "detail": "Conflicts with the current state",
                     *       "instance": "/api/v1/tasks",
                     *       "code": "CONFLICT"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Body too large */
            413: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/payload-too-large",
                     *       "title": "Content Too Large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than the limit",
                     *       "instance": "/api/v1/tasks",
                     *       "code": "PAYLOAD_TOO_LARGE"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Body is not JSON */
            415: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unsupported-media-type",
                     *       "title": "Unsupported Media Type",
                     *       "status": 415,
                     *       "detail": "Send the body as application/json",
                     *       "instance": "/api/v1/tasks",
                     *       "code": "UNSUPPORTED_MEDIA_TYPE"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Well-formed but refers to something invalid; or `IDEMPOTENCY_KEY_REUSED` */
            422: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/assignee-not-found",
                     *       "title": "Unprocessable Content",
                     *       "status": 422,
                     *       "detail": "The assignee does not exist",
                     *       "instance": "/api/v1/tasks",
                     *       "code": "ASSIGNEE_NOT_FOUND",
                     *       "assigneeId": "019ad0c4-1111-7c3a-8f2d-4b6e9a1c7d30"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Rate limited (see `Retry-After`) */
            429: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/rate-limited",
                     *       "title": "Too Many Requests",
                     *       "status": 429,
                     *       "detail": "Too many requests; retry in 1 minute",
                     *       "instance": "/api/v1/tasks",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    "tasks.get": {
        parameters: {
            query?: never;
            header?: {
                /** @description An ETag the client holds; when the task is still at that version the answer is 304 with no body */
                "If-None-Match"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The task */
            200: {
                headers: {
                    /** @description Weak entity tag of the task version, e.g. `W/"3"` */
                    ETag?: string;
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskResponseDto"];
                };
            };
            /** @description Not modified: `If-None-Match` matches the current version */
            304: {
                headers: {
                    ETag?: string;
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Malformed JSON or invalid fields (`errors[]` lists each) */
            400: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/validation-failed",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "detail": "title: title must be shorter than or equal to 200 characters",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "VALIDATION_FAILED",
                     *       "errors": [
                     *         {
                     *           "field": "title",
                     *           "message": "title must be shorter than or equal to 200 characters"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unauthenticated",
                     *       "title": "Unauthorized",
                     *       "status": 401,
                     *       "detail": "The access token has expired",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "UNAUTHENTICATED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Unknown, or not visible to the caller */
            404: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/not-found",
                     *       "title": "Not Found",
                     *       "status": 404,
                     *       "detail": "Not found (or not visible to you)",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "NOT_FOUND"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Rate limited (see `Retry-After`) */
            429: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/rate-limited",
                     *       "title": "Too Many Requests",
                     *       "status": 429,
                     *       "detail": "Too many requests; retry in 1 minute",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    "tasks.delete": {
        parameters: {
            query?: never;
            header?: {
                /** @description Only act if the task is still at this version (an ETag from an earlier response, e.g. `W/"3"`); otherwise 412 PRECONDITION_FAILED */
                "If-Match"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Malformed JSON or invalid fields (`errors[]` lists each) */
            400: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/validation-failed",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "detail": "title: title must be shorter than or equal to 200 characters",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "VALIDATION_FAILED",
                     *       "errors": [
                     *         {
                     *           "field": "title",
                     *           "message": "title must be shorter than or equal to 200 characters"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unauthenticated",
                     *       "title": "Unauthorized",
                     *       "status": 401,
                     *       "detail": "The access token has expired",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "UNAUTHENTICATED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Authenticated but not allowed */
            403: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/forbidden",
                     *       "title": "Forbidden",
                     *       "status": 403,
                     *       "detail": "You are not allowed to do this",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "FORBIDDEN"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Unknown, or not visible to the caller */
            404: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/not-found",
                     *       "title": "Not Found",
                     *       "status": 404,
                     *       "detail": "Not found (or not visible to you)",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "NOT_FOUND"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/conflict",
                     *       "title": "Conflict",
                     *       "status": 409,
                     *       "detail": "Conflicts with the current state",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "CONFLICT"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `If-Match` is stale */
            412: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/precondition-failed",
                     *       "title": "Precondition Failed",
                     *       "status": 412,
                     *       "detail": "The resource has changed since you read it (If-Match is stale)",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "PRECONDITION_FAILED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Rate limited (see `Retry-After`) */
            429: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/rate-limited",
                     *       "title": "Too Many Requests",
                     *       "status": 429,
                     *       "detail": "Too many requests; retry in 1 minute",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    "tasks.update": {
        parameters: {
            query?: never;
            header?: {
                /** @description Only act if the task is still at this version (an ETag from an earlier response, e.g. `W/"3"`); otherwise 412 PRECONDITION_FAILED */
                "If-Match"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateTaskRequestDto"];
            };
        };
        responses: {
            /** @description The task after the change (unchanged when nothing differs) */
            200: {
                headers: {
                    /** @description Weak entity tag of the task version, e.g. `W/"3"` */
                    ETag?: string;
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskResponseDto"];
                };
            };
            /** @description Malformed JSON or invalid fields (`errors[]` lists each) */
            400: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/validation-failed",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "detail": "title: title must be shorter than or equal to 200 characters",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "VALIDATION_FAILED",
                     *       "errors": [
                     *         {
                     *           "field": "title",
                     *           "message": "title must be shorter than or equal to 200 characters"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unauthenticated",
                     *       "title": "Unauthorized",
                     *       "status": 401,
                     *       "detail": "The access token has expired",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "UNAUTHENTICATED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Authenticated but not allowed */
            403: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/forbidden",
                     *       "title": "Forbidden",
                     *       "status": 403,
                     *       "detail": "You are not allowed to do this",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "FORBIDDEN"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Unknown, or not visible to the caller */
            404: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/not-found",
                     *       "title": "Not Found",
                     *       "status": 404,
                     *       "detail": "Not found (or not visible to you)",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "NOT_FOUND"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/task-closed",
                     *       "title": "Conflict",
                     *       "status": 409,
                     *       "detail": "The task is completed and can no longer be changed",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "TASK_CLOSED",
                     *       "currentState": "completed"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `If-Match` is stale */
            412: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/precondition-failed",
                     *       "title": "Precondition Failed",
                     *       "status": 412,
                     *       "detail": "The resource has changed since you read it (If-Match is stale)",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "PRECONDITION_FAILED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Body too large */
            413: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/payload-too-large",
                     *       "title": "Content Too Large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than the limit",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "PAYLOAD_TOO_LARGE"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Body is not JSON */
            415: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unsupported-media-type",
                     *       "title": "Unsupported Media Type",
                     *       "status": 415,
                     *       "detail": "Send the body as application/json",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "UNSUPPORTED_MEDIA_TYPE"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Rate limited (see `Retry-After`) */
            429: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/rate-limited",
                     *       "title": "Too Many Requests",
                     *       "status": 429,
                     *       "detail": "Too many requests; retry in 1 minute",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    "tasks.assign": {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes the POST safe to retry: the same key with the same body within 24 h replays the first response (`Idempotent-Replayed: true`); with a different body → 422 IDEMPOTENCY_KEY_REUSED; while the first is running → 409 IDEMPOTENCY_IN_PROGRESS */
                "Idempotency-Key"?: string;
                /** @description Only act if the task is still at this version (an ETag from an earlier response, e.g. `W/"3"`); otherwise 412 PRECONDITION_FAILED */
                "If-Match"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AssignTaskRequestDto"];
            };
        };
        responses: {
            /** @description The task, now `assigned` */
            200: {
                headers: {
                    /** @description Weak entity tag of the task version, e.g. `W/"3"` */
                    ETag?: string;
                    /** @description `true` when this response is the stored response of an earlier request with the same `Idempotency-Key` */
                    "Idempotent-Replayed"?: "true";
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskResponseDto"];
                };
            };
            /** @description Malformed JSON or invalid fields (`errors[]` lists each); or `INVALID_IDEMPOTENCY_KEY` */
            400: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/validation-failed",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "detail": "title: title must be shorter than or equal to 200 characters",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/assign",
                     *       "code": "VALIDATION_FAILED",
                     *       "errors": [
                     *         {
                     *           "field": "title",
                     *           "message": "title must be shorter than or equal to 200 characters"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unauthenticated",
                     *       "title": "Unauthorized",
                     *       "status": 401,
                     *       "detail": "The access token has expired",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/assign",
                     *       "code": "UNAUTHENTICATED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Authenticated but not allowed */
            403: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/forbidden",
                     *       "title": "Forbidden",
                     *       "status": 403,
                     *       "detail": "You are not allowed to do this",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/assign",
                     *       "code": "FORBIDDEN"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Unknown, or not visible to the caller */
            404: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/not-found",
                     *       "title": "Not Found",
                     *       "status": 404,
                     *       "detail": "Not found (or not visible to you)",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/assign",
                     *       "code": "NOT_FOUND"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Conflicts with the current state; or `IDEMPOTENCY_IN_PROGRESS` */
            409: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/conflict",
                     *       "title": "Conflict",
                     *       "status": 409,
                     *       "detail": "Conflicts with the current state",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/assign",
                     *       "code": "CONFLICT"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `If-Match` is stale */
            412: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/precondition-failed",
                     *       "title": "Precondition Failed",
                     *       "status": 412,
                     *       "detail": "The resource has changed since you read it (If-Match is stale)",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/assign",
                     *       "code": "PRECONDITION_FAILED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Body too large */
            413: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/payload-too-large",
                     *       "title": "Content Too Large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than the limit",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/assign",
                     *       "code": "PAYLOAD_TOO_LARGE"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Body is not JSON */
            415: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unsupported-media-type",
                     *       "title": "Unsupported Media Type",
                     *       "status": 415,
                     *       "detail": "Send the body as application/json",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/assign",
                     *       "code": "UNSUPPORTED_MEDIA_TYPE"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Well-formed but refers to something invalid; or `IDEMPOTENCY_KEY_REUSED` */
            422: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/assignee-not-found",
                     *       "title": "Unprocessable Content",
                     *       "status": 422,
                     *       "detail": "The assignee does not exist",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/assign",
                     *       "code": "ASSIGNEE_NOT_FOUND",
                     *       "assigneeId": "019ad0c4-1111-7c3a-8f2d-4b6e9a1c7d30"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Rate limited (see `Retry-After`) */
            429: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/rate-limited",
                     *       "title": "Too Many Requests",
                     *       "status": 429,
                     *       "detail": "Too many requests; retry in 1 minute",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/assign",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    "tasks.listComments": {
        parameters: {
            query?: {
                /** @description Opaque cursor from a previous page's `nextCursor`; valid only with the same filters (other query parameters than `limit`), else 400 */
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of results */
            200: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["TaskCommentResponseDto"][];
                        /** @description Pass as `cursor` for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Malformed JSON or invalid fields (`errors[]` lists each) */
            400: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/validation-failed",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "detail": "title: title must be shorter than or equal to 200 characters",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/comments",
                     *       "code": "VALIDATION_FAILED",
                     *       "errors": [
                     *         {
                     *           "field": "title",
                     *           "message": "title must be shorter than or equal to 200 characters"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unauthenticated",
                     *       "title": "Unauthorized",
                     *       "status": 401,
                     *       "detail": "The access token has expired",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/comments",
                     *       "code": "UNAUTHENTICATED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Unknown, or not visible to the caller */
            404: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/not-found",
                     *       "title": "Not Found",
                     *       "status": 404,
                     *       "detail": "Not found (or not visible to you)",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/comments",
                     *       "code": "NOT_FOUND"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Rate limited (see `Retry-After`) */
            429: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/rate-limited",
                     *       "title": "Too Many Requests",
                     *       "status": 429,
                     *       "detail": "Too many requests; retry in 1 minute",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/comments",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    "tasks.addComment": {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes the POST safe to retry: the same key with the same body within 24 h replays the first response (`Idempotent-Replayed: true`); with a different body → 422 IDEMPOTENCY_KEY_REUSED; while the first is running → 409 IDEMPOTENCY_IN_PROGRESS */
                "Idempotency-Key"?: string;
                /** @description Only act if the task is still at this version (an ETag from an earlier response, e.g. `W/"3"`); otherwise 412 PRECONDITION_FAILED */
                "If-Match"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AddCommentRequestDto"];
            };
        };
        responses: {
            /** @description The new comment; `Location` names it */
            201: {
                headers: {
                    /** @description `true` when this response is the stored response of an earlier request with the same `Idempotency-Key` */
                    "Idempotent-Replayed"?: "true";
                    /** @description URL of the new comment */
                    Location?: string;
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskCommentResponseDto"];
                };
            };
            /** @description Malformed JSON or invalid fields (`errors[]` lists each); or `INVALID_IDEMPOTENCY_KEY` */
            400: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/validation-failed",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "detail": "title: title must be shorter than or equal to 200 characters",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/comments",
                     *       "code": "VALIDATION_FAILED",
                     *       "errors": [
                     *         {
                     *           "field": "title",
                     *           "message": "title must be shorter than or equal to 200 characters"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unauthenticated",
                     *       "title": "Unauthorized",
                     *       "status": 401,
                     *       "detail": "The access token has expired",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/comments",
                     *       "code": "UNAUTHENTICATED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Unknown, or not visible to the caller */
            404: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/not-found",
                     *       "title": "Not Found",
                     *       "status": 404,
                     *       "detail": "Not found (or not visible to you)",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/comments",
                     *       "code": "NOT_FOUND"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Conflicts with the current state; or `IDEMPOTENCY_IN_PROGRESS` */
            409: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/conflict",
                     *       "title": "Conflict",
                     *       "status": 409,
                     *       "detail": "Conflicts with the current state",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/comments",
                     *       "code": "CONFLICT"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `If-Match` is stale */
            412: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/precondition-failed",
                     *       "title": "Precondition Failed",
                     *       "status": 412,
                     *       "detail": "The resource has changed since you read it (If-Match is stale)",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/comments",
                     *       "code": "PRECONDITION_FAILED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Body too large */
            413: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/payload-too-large",
                     *       "title": "Content Too Large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than the limit",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/comments",
                     *       "code": "PAYLOAD_TOO_LARGE"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Body is not JSON */
            415: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unsupported-media-type",
                     *       "title": "Unsupported Media Type",
                     *       "status": 415,
                     *       "detail": "Send the body as application/json",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/comments",
                     *       "code": "UNSUPPORTED_MEDIA_TYPE"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Well-formed but refers to something invalid; or `IDEMPOTENCY_KEY_REUSED` */
            422: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/idempotency-key-reused",
                     *       "title": "Unprocessable Content",
                     *       "status": 422,
                     *       "detail": "The Idempotency-Key was used for a different request",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/comments",
                     *       "code": "IDEMPOTENCY_KEY_REUSED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Rate limited (see `Retry-After`) */
            429: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/rate-limited",
                     *       "title": "Too Many Requests",
                     *       "status": 429,
                     *       "detail": "Too many requests; retry in 1 minute",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/comments",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    "tasks.getComment": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                commentId: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskCommentResponseDto"];
                };
            };
            /** @description Malformed JSON or invalid fields (`errors[]` lists each) */
            400: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/validation-failed",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "detail": "title: title must be shorter than or equal to 200 characters",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/comments/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "VALIDATION_FAILED",
                     *       "errors": [
                     *         {
                     *           "field": "title",
                     *           "message": "title must be shorter than or equal to 200 characters"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unauthenticated",
                     *       "title": "Unauthorized",
                     *       "status": 401,
                     *       "detail": "The access token has expired",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/comments/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "UNAUTHENTICATED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Unknown, or not visible to the caller */
            404: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/not-found",
                     *       "title": "Not Found",
                     *       "status": 404,
                     *       "detail": "Not found (or not visible to you)",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/comments/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "NOT_FOUND"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Rate limited (see `Retry-After`) */
            429: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/rate-limited",
                     *       "title": "Too Many Requests",
                     *       "status": 429,
                     *       "detail": "Too many requests; retry in 1 minute",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/comments/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    "tasks.listEvents": {
        parameters: {
            query?: {
                /** @description Opaque cursor from a previous page's `nextCursor`; valid only with the same filters (other query parameters than `limit`), else 400 */
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of results */
            200: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["TaskEventResponseDto"][];
                        /** @description Pass as `cursor` for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Malformed JSON or invalid fields (`errors[]` lists each) */
            400: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/validation-failed",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "detail": "title: title must be shorter than or equal to 200 characters",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/events",
                     *       "code": "VALIDATION_FAILED",
                     *       "errors": [
                     *         {
                     *           "field": "title",
                     *           "message": "title must be shorter than or equal to 200 characters"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unauthenticated",
                     *       "title": "Unauthorized",
                     *       "status": 401,
                     *       "detail": "The access token has expired",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/events",
                     *       "code": "UNAUTHENTICATED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Unknown, or not visible to the caller */
            404: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/not-found",
                     *       "title": "Not Found",
                     *       "status": 404,
                     *       "detail": "Not found (or not visible to you)",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/events",
                     *       "code": "NOT_FOUND"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Rate limited (see `Retry-After`) */
            429: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/rate-limited",
                     *       "title": "Too Many Requests",
                     *       "status": 429,
                     *       "detail": "Too many requests; retry in 1 minute",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/events",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    "tasks.transition": {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes the POST safe to retry: the same key with the same body within 24 h replays the first response (`Idempotent-Replayed: true`); with a different body → 422 IDEMPOTENCY_KEY_REUSED; while the first is running → 409 IDEMPOTENCY_IN_PROGRESS */
                "Idempotency-Key"?: string;
                /** @description Only act if the task is still at this version (an ETag from an earlier response, e.g. `W/"3"`); otherwise 412 PRECONDITION_FAILED */
                "If-Match"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TransitionTaskRequestDto"];
            };
        };
        responses: {
            /** @description The task in its new state */
            200: {
                headers: {
                    /** @description Weak entity tag of the task version, e.g. `W/"3"` */
                    ETag?: string;
                    /** @description `true` when this response is the stored response of an earlier request with the same `Idempotency-Key` */
                    "Idempotent-Replayed"?: "true";
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskResponseDto"];
                };
            };
            /** @description Malformed JSON or invalid fields (`errors[]` lists each); or `INVALID_IDEMPOTENCY_KEY` */
            400: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/validation-failed",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "detail": "title: title must be shorter than or equal to 200 characters",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/transition",
                     *       "code": "VALIDATION_FAILED",
                     *       "errors": [
                     *         {
                     *           "field": "title",
                     *           "message": "title must be shorter than or equal to 200 characters"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unauthenticated",
                     *       "title": "Unauthorized",
                     *       "status": 401,
                     *       "detail": "The access token has expired",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/transition",
                     *       "code": "UNAUTHENTICATED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Authenticated but not allowed */
            403: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/forbidden",
                     *       "title": "Forbidden",
                     *       "status": 403,
                     *       "detail": "You are not allowed to do this",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/transition",
                     *       "code": "FORBIDDEN"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Unknown, or not visible to the caller */
            404: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/not-found",
                     *       "title": "Not Found",
                     *       "status": 404,
                     *       "detail": "Not found (or not visible to you)",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/transition",
                     *       "code": "NOT_FOUND"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Conflicts with the current state; or `IDEMPOTENCY_IN_PROGRESS` */
            409: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/invalid-transition",
                     *       "title": "Conflict",
                     *       "status": 409,
                     *       "detail": "A task in state draft cannot move to completed",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/transition",
                     *       "code": "INVALID_TRANSITION",
                     *       "currentState": "draft",
                     *       "allowedTransitions": [
                     *         "cancelled"
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `If-Match` is stale */
            412: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/precondition-failed",
                     *       "title": "Precondition Failed",
                     *       "status": 412,
                     *       "detail": "The resource has changed since you read it (If-Match is stale)",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/transition",
                     *       "code": "PRECONDITION_FAILED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Body too large */
            413: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/payload-too-large",
                     *       "title": "Content Too Large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than the limit",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/transition",
                     *       "code": "PAYLOAD_TOO_LARGE"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Body is not JSON */
            415: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unsupported-media-type",
                     *       "title": "Unsupported Media Type",
                     *       "status": 415,
                     *       "detail": "Send the body as application/json",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/transition",
                     *       "code": "UNSUPPORTED_MEDIA_TYPE"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Well-formed but refers to something invalid; or `IDEMPOTENCY_KEY_REUSED` */
            422: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/idempotency-key-reused",
                     *       "title": "Unprocessable Content",
                     *       "status": 422,
                     *       "detail": "The Idempotency-Key was used for a different request",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/transition",
                     *       "code": "IDEMPOTENCY_KEY_REUSED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Rate limited (see `Retry-After`) */
            429: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/rate-limited",
                     *       "title": "Too Many Requests",
                     *       "status": 429,
                     *       "detail": "Too many requests; retry in 1 minute",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/transition",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    "tasks.listWatchers": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskWatcherListResponseDto"];
                };
            };
            /** @description Malformed JSON or invalid fields (`errors[]` lists each) */
            400: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/validation-failed",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "detail": "title: title must be shorter than or equal to 200 characters",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/watchers",
                     *       "code": "VALIDATION_FAILED",
                     *       "errors": [
                     *         {
                     *           "field": "title",
                     *           "message": "title must be shorter than or equal to 200 characters"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unauthenticated",
                     *       "title": "Unauthorized",
                     *       "status": 401,
                     *       "detail": "The access token has expired",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/watchers",
                     *       "code": "UNAUTHENTICATED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Unknown, or not visible to the caller */
            404: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/not-found",
                     *       "title": "Not Found",
                     *       "status": 404,
                     *       "detail": "Not found (or not visible to you)",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/watchers",
                     *       "code": "NOT_FOUND"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Rate limited (see `Retry-After`) */
            429: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/rate-limited",
                     *       "title": "Too Many Requests",
                     *       "status": 429,
                     *       "detail": "Too many requests; retry in 1 minute",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/watchers",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    "tasks.watch": {
        parameters: {
            query?: never;
            header?: {
                /** @description Only act if the task is still at this version (an ETag from an earlier response, e.g. `W/"3"`); otherwise 412 PRECONDITION_FAILED */
                "If-Match"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Watching */
            204: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Malformed JSON or invalid fields (`errors[]` lists each) */
            400: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/validation-failed",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "detail": "title: title must be shorter than or equal to 200 characters",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/watchers/me",
                     *       "code": "VALIDATION_FAILED",
                     *       "errors": [
                     *         {
                     *           "field": "title",
                     *           "message": "title must be shorter than or equal to 200 characters"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unauthenticated",
                     *       "title": "Unauthorized",
                     *       "status": 401,
                     *       "detail": "The access token has expired",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/watchers/me",
                     *       "code": "UNAUTHENTICATED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Unknown, or not visible to the caller */
            404: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/not-found",
                     *       "title": "Not Found",
                     *       "status": 404,
                     *       "detail": "Not found (or not visible to you)",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/watchers/me",
                     *       "code": "NOT_FOUND"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `If-Match` is stale */
            412: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/precondition-failed",
                     *       "title": "Precondition Failed",
                     *       "status": 412,
                     *       "detail": "The resource has changed since you read it (If-Match is stale)",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/watchers/me",
                     *       "code": "PRECONDITION_FAILED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Rate limited (see `Retry-After`) */
            429: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/rate-limited",
                     *       "title": "Too Many Requests",
                     *       "status": 429,
                     *       "detail": "Too many requests; retry in 1 minute",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/watchers/me",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    "tasks.unwatch": {
        parameters: {
            query?: never;
            header?: {
                /** @description Only act if the task is still at this version (an ETag from an earlier response, e.g. `W/"3"`); otherwise 412 PRECONDITION_FAILED */
                "If-Match"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Not watching */
            204: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Malformed JSON or invalid fields (`errors[]` lists each) */
            400: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/validation-failed",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "detail": "title: title must be shorter than or equal to 200 characters",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/watchers/me",
                     *       "code": "VALIDATION_FAILED",
                     *       "errors": [
                     *         {
                     *           "field": "title",
                     *           "message": "title must be shorter than or equal to 200 characters"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unauthenticated",
                     *       "title": "Unauthorized",
                     *       "status": 401,
                     *       "detail": "The access token has expired",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/watchers/me",
                     *       "code": "UNAUTHENTICATED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Unknown, or not visible to the caller */
            404: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/not-found",
                     *       "title": "Not Found",
                     *       "status": 404,
                     *       "detail": "Not found (or not visible to you)",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/watchers/me",
                     *       "code": "NOT_FOUND"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description `If-Match` is stale */
            412: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/precondition-failed",
                     *       "title": "Precondition Failed",
                     *       "status": 412,
                     *       "detail": "The resource has changed since you read it (If-Match is stale)",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/watchers/me",
                     *       "code": "PRECONDITION_FAILED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Rate limited (see `Retry-After`) */
            429: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/rate-limited",
                     *       "title": "Too Many Requests",
                     *       "status": 429,
                     *       "detail": "Too many requests; retry in 1 minute",
                     *       "instance": "/api/v1/tasks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/watchers/me",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    "users.list": {
        parameters: {
            query?: {
                /** @description e.g. `true` */
                active?: boolean;
                /** @description Opaque cursor from a previous page's `nextCursor`; valid only with the same filters (other query parameters than `limit`), else 400 */
                cursor?: string;
                limit?: number;
                /** @description Case-insensitive substring of the name or email. e.g. `ada` */
                q?: string;
                role?: components["schemas"]["Role"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of users */
            200: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["UserResponseDto"][];
                        /** @description Pass as `cursor` for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Malformed JSON or invalid fields (`errors[]` lists each) */
            400: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/validation-failed",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "detail": "title: title must be shorter than or equal to 200 characters",
                     *       "instance": "/api/v1/users",
                     *       "code": "VALIDATION_FAILED",
                     *       "errors": [
                     *         {
                     *           "field": "title",
                     *           "message": "title must be shorter than or equal to 200 characters"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unauthenticated",
                     *       "title": "Unauthorized",
                     *       "status": 401,
                     *       "detail": "The access token has expired",
                     *       "instance": "/api/v1/users",
                     *       "code": "UNAUTHENTICATED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Authenticated but not allowed */
            403: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/forbidden",
                     *       "title": "Forbidden",
                     *       "status": 403,
                     *       "detail": "You are not allowed to do this",
                     *       "instance": "/api/v1/users",
                     *       "code": "FORBIDDEN"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Rate limited (see `Retry-After`) */
            429: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/rate-limited",
                     *       "title": "Too Many Requests",
                     *       "status": 429,
                     *       "detail": "Too many requests; retry in 1 minute",
                     *       "instance": "/api/v1/users",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    "users.create": {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry of this request safe: the same key with the same request within 24 h replays the first response (`Idempotent-Replayed: true`) instead of running again. Scoped to the authenticated user; ignored on unauthenticated calls. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateUserRequestDto"];
            };
        };
        responses: {
            /** @description Created; `Location` names the new user */
            201: {
                headers: {
                    /** @description `true` when this response is the stored response of an earlier request with the same `Idempotency-Key` */
                    "Idempotent-Replayed"?: "true";
                    Location: components["headers"]["Location"];
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserResponseDto"];
                };
            };
            /** @description Malformed JSON or invalid fields (`errors[]` lists each); or `INVALID_IDEMPOTENCY_KEY` */
            400: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/validation-failed",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "detail": "title: title must be shorter than or equal to 200 characters",
                     *       "instance": "/api/v1/users",
                     *       "code": "VALIDATION_FAILED",
                     *       "errors": [
                     *         {
                     *           "field": "title",
                     *           "message": "title must be shorter than or equal to 200 characters"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unauthenticated",
                     *       "title": "Unauthorized",
                     *       "status": 401,
                     *       "detail": "The access token has expired",
                     *       "instance": "/api/v1/users",
                     *       "code": "UNAUTHENTICATED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Authenticated but not allowed */
            403: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/forbidden",
                     *       "title": "Forbidden",
                     *       "status": 403,
                     *       "detail": "You are not allowed to do this",
                     *       "instance": "/api/v1/users",
                     *       "code": "FORBIDDEN"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Conflicts with the current state; or `IDEMPOTENCY_IN_PROGRESS` */
            409: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/email-taken",
                     *       "title": "Conflict",
                     *       "status": 409,
                     *       "detail": "A user with this email already exists",
                     *       "instance": "/api/v1/users",
                     *       "code": "EMAIL_TAKEN"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Body too large */
            413: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/payload-too-large",
                     *       "title": "Content Too Large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than the limit",
                     *       "instance": "/api/v1/users",
                     *       "code": "PAYLOAD_TOO_LARGE"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Body is not JSON */
            415: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unsupported-media-type",
                     *       "title": "Unsupported Media Type",
                     *       "status": 415,
                     *       "detail": "Send the body as application/json",
                     *       "instance": "/api/v1/users",
                     *       "code": "UNSUPPORTED_MEDIA_TYPE"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Refers to something invalid, or `IDEMPOTENCY_KEY_REUSED` */
            422: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/idempotency-key-reused",
                     *       "title": "Unprocessable Content",
                     *       "status": 422,
                     *       "detail": "The Idempotency-Key was used for a different request",
                     *       "instance": "/api/v1/users",
                     *       "code": "IDEMPOTENCY_KEY_REUSED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Rate limited (see `Retry-After`) */
            429: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/rate-limited",
                     *       "title": "Too Many Requests",
                     *       "status": 429,
                     *       "detail": "Too many requests; retry in 1 minute",
                     *       "instance": "/api/v1/users",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    "users.get": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserResponseDto"];
                };
            };
            /** @description Malformed JSON or invalid fields (`errors[]` lists each) */
            400: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/validation-failed",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "detail": "title: title must be shorter than or equal to 200 characters",
                     *       "instance": "/api/v1/users/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "VALIDATION_FAILED",
                     *       "errors": [
                     *         {
                     *           "field": "title",
                     *           "message": "title must be shorter than or equal to 200 characters"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unauthenticated",
                     *       "title": "Unauthorized",
                     *       "status": 401,
                     *       "detail": "The access token has expired",
                     *       "instance": "/api/v1/users/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "UNAUTHENTICATED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Authenticated but not allowed */
            403: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/forbidden",
                     *       "title": "Forbidden",
                     *       "status": 403,
                     *       "detail": "You are not allowed to do this",
                     *       "instance": "/api/v1/users/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "FORBIDDEN"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Unknown, or not visible to the caller */
            404: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/not-found",
                     *       "title": "Not Found",
                     *       "status": 404,
                     *       "detail": "Not found (or not visible to you)",
                     *       "instance": "/api/v1/users/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "NOT_FOUND"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Rate limited (see `Retry-After`) */
            429: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/rate-limited",
                     *       "title": "Too Many Requests",
                     *       "status": 429,
                     *       "detail": "Too many requests; retry in 1 minute",
                     *       "instance": "/api/v1/users/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    "users.update": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateUserRequestDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserResponseDto"];
                };
            };
            /** @description Malformed JSON or invalid fields (`errors[]` lists each) */
            400: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/validation-failed",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "detail": "title: title must be shorter than or equal to 200 characters",
                     *       "instance": "/api/v1/users/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "VALIDATION_FAILED",
                     *       "errors": [
                     *         {
                     *           "field": "title",
                     *           "message": "title must be shorter than or equal to 200 characters"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unauthenticated",
                     *       "title": "Unauthorized",
                     *       "status": 401,
                     *       "detail": "The access token has expired",
                     *       "instance": "/api/v1/users/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "UNAUTHENTICATED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Authenticated but not allowed */
            403: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/forbidden",
                     *       "title": "Forbidden",
                     *       "status": 403,
                     *       "detail": "You are not allowed to do this",
                     *       "instance": "/api/v1/users/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "FORBIDDEN"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Unknown, or not visible to the caller */
            404: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/not-found",
                     *       "title": "Not Found",
                     *       "status": 404,
                     *       "detail": "Not found (or not visible to you)",
                     *       "instance": "/api/v1/users/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "NOT_FOUND"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/last-admin",
                     *       "title": "Conflict",
                     *       "status": 409,
                     *       "detail": "This is the last active admin: promote someone else first",
                     *       "instance": "/api/v1/users/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "LAST_ADMIN"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Body too large */
            413: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/payload-too-large",
                     *       "title": "Content Too Large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than the limit",
                     *       "instance": "/api/v1/users/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "PAYLOAD_TOO_LARGE"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Body is not JSON */
            415: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unsupported-media-type",
                     *       "title": "Unsupported Media Type",
                     *       "status": 415,
                     *       "detail": "Send the body as application/json",
                     *       "instance": "/api/v1/users/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "UNSUPPORTED_MEDIA_TYPE"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Rate limited (see `Retry-After`) */
            429: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/rate-limited",
                     *       "title": "Too Many Requests",
                     *       "status": 429,
                     *       "detail": "Too many requests; retry in 1 minute",
                     *       "instance": "/api/v1/users/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    "users.getMe": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserResponseDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unauthenticated",
                     *       "title": "Unauthorized",
                     *       "status": 401,
                     *       "detail": "The access token has expired",
                     *       "instance": "/api/v1/users/me",
                     *       "code": "UNAUTHENTICATED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Rate limited (see `Retry-After`) */
            429: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/rate-limited",
                     *       "title": "Too Many Requests",
                     *       "status": 429,
                     *       "detail": "Too many requests; retry in 1 minute",
                     *       "instance": "/api/v1/users/me",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    "users.updateMe": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateMeRequestDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserResponseDto"];
                };
            };
            /** @description Malformed JSON or invalid fields (`errors[]` lists each) */
            400: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/validation-failed",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "detail": "title: title must be shorter than or equal to 200 characters",
                     *       "instance": "/api/v1/users/me",
                     *       "code": "VALIDATION_FAILED",
                     *       "errors": [
                     *         {
                     *           "field": "title",
                     *           "message": "title must be shorter than or equal to 200 characters"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unauthenticated",
                     *       "title": "Unauthorized",
                     *       "status": 401,
                     *       "detail": "The access token has expired",
                     *       "instance": "/api/v1/users/me",
                     *       "code": "UNAUTHENTICATED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Authenticated but not allowed */
            403: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/forbidden",
                     *       "title": "Forbidden",
                     *       "status": 403,
                     *       "detail": "You are not allowed to do this",
                     *       "instance": "/api/v1/users/me",
                     *       "code": "FORBIDDEN"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Conflicts with the current state */
            409: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/conflict",
                     *       "title": "Conflict",
                     *       "status": 409,
                     *       "detail": "Conflicts with the current state",
                     *       "instance": "/api/v1/users/me",
                     *       "code": "CONFLICT"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Body too large */
            413: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/payload-too-large",
                     *       "title": "Content Too Large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than the limit",
                     *       "instance": "/api/v1/users/me",
                     *       "code": "PAYLOAD_TOO_LARGE"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Body is not JSON */
            415: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unsupported-media-type",
                     *       "title": "Unsupported Media Type",
                     *       "status": 415,
                     *       "detail": "Send the body as application/json",
                     *       "instance": "/api/v1/users/me",
                     *       "code": "UNSUPPORTED_MEDIA_TYPE"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Rate limited (see `Retry-After`) */
            429: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/rate-limited",
                     *       "title": "Too Many Requests",
                     *       "status": 429,
                     *       "detail": "Too many requests; retry in 1 minute",
                     *       "instance": "/api/v1/users/me",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    "webhooks.list": {
        parameters: {
            query?: {
                /** @description Opaque cursor from a previous page's `nextCursor`; valid only with the same filters (other query parameters than `limit`), else 400 */
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of results */
            200: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["WebhookResponseDto"][];
                        /** @description Pass as `cursor` for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Malformed JSON or invalid fields (`errors[]` lists each) */
            400: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/validation-failed",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "detail": "title: title must be shorter than or equal to 200 characters",
                     *       "instance": "/api/v1/webhooks",
                     *       "code": "VALIDATION_FAILED",
                     *       "errors": [
                     *         {
                     *           "field": "title",
                     *           "message": "title must be shorter than or equal to 200 characters"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unauthenticated",
                     *       "title": "Unauthorized",
                     *       "status": 401,
                     *       "detail": "The access token has expired",
                     *       "instance": "/api/v1/webhooks",
                     *       "code": "UNAUTHENTICATED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Authenticated but not allowed */
            403: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/forbidden",
                     *       "title": "Forbidden",
                     *       "status": 403,
                     *       "detail": "You are not allowed to do this",
                     *       "instance": "/api/v1/webhooks",
                     *       "code": "FORBIDDEN"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Rate limited (see `Retry-After`) */
            429: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/rate-limited",
                     *       "title": "Too Many Requests",
                     *       "status": 429,
                     *       "detail": "Too many requests; retry in 1 minute",
                     *       "instance": "/api/v1/webhooks",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    "webhooks.create": {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry of this request safe: the same key with the same request within 24 h replays the first response (`Idempotent-Replayed: true`) instead of running again. Scoped to the authenticated user; ignored on unauthenticated calls. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateWebhookRequestDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    /** @description `true` when this response is the stored response of an earlier request with the same `Idempotency-Key` */
                    "Idempotent-Replayed"?: "true";
                    /** @description URL of the new endpoint */
                    Location?: string;
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookWithSecretResponseDto"];
                };
            };
            /** @description Malformed JSON or invalid fields (`errors[]` lists each); or `INVALID_IDEMPOTENCY_KEY` */
            400: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/validation-failed",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "detail": "title: title must be shorter than or equal to 200 characters",
                     *       "instance": "/api/v1/webhooks",
                     *       "code": "VALIDATION_FAILED",
                     *       "errors": [
                     *         {
                     *           "field": "title",
                     *           "message": "title must be shorter than or equal to 200 characters"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unauthenticated",
                     *       "title": "Unauthorized",
                     *       "status": 401,
                     *       "detail": "The access token has expired",
                     *       "instance": "/api/v1/webhooks",
                     *       "code": "UNAUTHENTICATED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Authenticated but not allowed */
            403: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/forbidden",
                     *       "title": "Forbidden",
                     *       "status": 403,
                     *       "detail": "You are not allowed to do this",
                     *       "instance": "/api/v1/webhooks",
                     *       "code": "FORBIDDEN"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Conflicts with the current state, or `IDEMPOTENCY_IN_PROGRESS` (retry shortly) */
            409: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/conflict",
                     *       "title": "Conflict",
                     *       "status": 409,
                     *       "detail": "Conflicts with the current state",
                     *       "instance": "/api/v1/webhooks",
                     *       "code": "CONFLICT"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Body too large */
            413: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/payload-too-large",
                     *       "title": "Content Too Large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than the limit",
                     *       "instance": "/api/v1/webhooks",
                     *       "code": "PAYLOAD_TOO_LARGE"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Body is not JSON */
            415: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unsupported-media-type",
                     *       "title": "Unsupported Media Type",
                     *       "status": 415,
                     *       "detail": "Send the body as application/json",
                     *       "instance": "/api/v1/webhooks",
                     *       "code": "UNSUPPORTED_MEDIA_TYPE"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Refers to something invalid, or `IDEMPOTENCY_KEY_REUSED` */
            422: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/idempotency-key-reused",
                     *       "title": "Unprocessable Content",
                     *       "status": 422,
                     *       "detail": "The Idempotency-Key was used for a different request",
                     *       "instance": "/api/v1/webhooks",
                     *       "code": "IDEMPOTENCY_KEY_REUSED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Rate limited (see `Retry-After`) */
            429: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/rate-limited",
                     *       "title": "Too Many Requests",
                     *       "status": 429,
                     *       "detail": "Too many requests; retry in 1 minute",
                     *       "instance": "/api/v1/webhooks",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    "webhooks.get": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookResponseDto"];
                };
            };
            /** @description Malformed JSON or invalid fields (`errors[]` lists each) */
            400: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/validation-failed",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "detail": "title: title must be shorter than or equal to 200 characters",
                     *       "instance": "/api/v1/webhooks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "VALIDATION_FAILED",
                     *       "errors": [
                     *         {
                     *           "field": "title",
                     *           "message": "title must be shorter than or equal to 200 characters"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unauthenticated",
                     *       "title": "Unauthorized",
                     *       "status": 401,
                     *       "detail": "The access token has expired",
                     *       "instance": "/api/v1/webhooks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "UNAUTHENTICATED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Authenticated but not allowed */
            403: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/forbidden",
                     *       "title": "Forbidden",
                     *       "status": 403,
                     *       "detail": "You are not allowed to do this",
                     *       "instance": "/api/v1/webhooks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "FORBIDDEN"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Unknown, or not visible to the caller */
            404: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/not-found",
                     *       "title": "Not Found",
                     *       "status": 404,
                     *       "detail": "Not found (or not visible to you)",
                     *       "instance": "/api/v1/webhooks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "NOT_FOUND"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Rate limited (see `Retry-After`) */
            429: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/rate-limited",
                     *       "title": "Too Many Requests",
                     *       "status": 429,
                     *       "detail": "Too many requests; retry in 1 minute",
                     *       "instance": "/api/v1/webhooks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    "webhooks.delete": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Malformed JSON or invalid fields (`errors[]` lists each) */
            400: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/validation-failed",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "detail": "title: title must be shorter than or equal to 200 characters",
                     *       "instance": "/api/v1/webhooks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "VALIDATION_FAILED",
                     *       "errors": [
                     *         {
                     *           "field": "title",
                     *           "message": "title must be shorter than or equal to 200 characters"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unauthenticated",
                     *       "title": "Unauthorized",
                     *       "status": 401,
                     *       "detail": "The access token has expired",
                     *       "instance": "/api/v1/webhooks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "UNAUTHENTICATED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Authenticated but not allowed */
            403: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/forbidden",
                     *       "title": "Forbidden",
                     *       "status": 403,
                     *       "detail": "You are not allowed to do this",
                     *       "instance": "/api/v1/webhooks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "FORBIDDEN"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Unknown, or not visible to the caller */
            404: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/not-found",
                     *       "title": "Not Found",
                     *       "status": 404,
                     *       "detail": "Not found (or not visible to you)",
                     *       "instance": "/api/v1/webhooks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "NOT_FOUND"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Rate limited (see `Retry-After`) */
            429: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/rate-limited",
                     *       "title": "Too Many Requests",
                     *       "status": 429,
                     *       "detail": "Too many requests; retry in 1 minute",
                     *       "instance": "/api/v1/webhooks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    "webhooks.update": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateWebhookRequestDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookResponseDto"];
                };
            };
            /** @description Malformed JSON or invalid fields (`errors[]` lists each) */
            400: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/validation-failed",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "detail": "title: title must be shorter than or equal to 200 characters",
                     *       "instance": "/api/v1/webhooks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "VALIDATION_FAILED",
                     *       "errors": [
                     *         {
                     *           "field": "title",
                     *           "message": "title must be shorter than or equal to 200 characters"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unauthenticated",
                     *       "title": "Unauthorized",
                     *       "status": 401,
                     *       "detail": "The access token has expired",
                     *       "instance": "/api/v1/webhooks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "UNAUTHENTICATED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Authenticated but not allowed */
            403: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/forbidden",
                     *       "title": "Forbidden",
                     *       "status": 403,
                     *       "detail": "You are not allowed to do this",
                     *       "instance": "/api/v1/webhooks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "FORBIDDEN"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Unknown, or not visible to the caller */
            404: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/not-found",
                     *       "title": "Not Found",
                     *       "status": 404,
                     *       "detail": "Not found (or not visible to you)",
                     *       "instance": "/api/v1/webhooks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "NOT_FOUND"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Body too large */
            413: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/payload-too-large",
                     *       "title": "Content Too Large",
                     *       "status": 413,
                     *       "detail": "The request body is larger than the limit",
                     *       "instance": "/api/v1/webhooks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "PAYLOAD_TOO_LARGE"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Body is not JSON */
            415: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unsupported-media-type",
                     *       "title": "Unsupported Media Type",
                     *       "status": 415,
                     *       "detail": "Send the body as application/json",
                     *       "instance": "/api/v1/webhooks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "UNSUPPORTED_MEDIA_TYPE"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Rate limited (see `Retry-After`) */
            429: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/rate-limited",
                     *       "title": "Too Many Requests",
                     *       "status": 429,
                     *       "detail": "Too many requests; retry in 1 minute",
                     *       "instance": "/api/v1/webhooks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    "webhooks.listDeliveries": {
        parameters: {
            query?: {
                /** @description Opaque cursor from a previous page's `nextCursor`; valid only with the same filters (other query parameters than `limit`), else 400 */
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of results */
            200: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["DeliveryResponseDto"][];
                        /** @description Pass as `cursor` for the next page; null on the last page */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Malformed JSON or invalid fields (`errors[]` lists each) */
            400: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/validation-failed",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "detail": "title: title must be shorter than or equal to 200 characters",
                     *       "instance": "/api/v1/webhooks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/deliveries",
                     *       "code": "VALIDATION_FAILED",
                     *       "errors": [
                     *         {
                     *           "field": "title",
                     *           "message": "title must be shorter than or equal to 200 characters"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unauthenticated",
                     *       "title": "Unauthorized",
                     *       "status": 401,
                     *       "detail": "The access token has expired",
                     *       "instance": "/api/v1/webhooks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/deliveries",
                     *       "code": "UNAUTHENTICATED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Authenticated but not allowed */
            403: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/forbidden",
                     *       "title": "Forbidden",
                     *       "status": 403,
                     *       "detail": "You are not allowed to do this",
                     *       "instance": "/api/v1/webhooks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/deliveries",
                     *       "code": "FORBIDDEN"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Unknown, or not visible to the caller */
            404: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/not-found",
                     *       "title": "Not Found",
                     *       "status": 404,
                     *       "detail": "Not found (or not visible to you)",
                     *       "instance": "/api/v1/webhooks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/deliveries",
                     *       "code": "NOT_FOUND"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Rate limited (see `Retry-After`) */
            429: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/rate-limited",
                     *       "title": "Too Many Requests",
                     *       "status": 429,
                     *       "detail": "Too many requests; retry in 1 minute",
                     *       "instance": "/api/v1/webhooks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/deliveries",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    "webhooks.redeliver": {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry of this request safe: the same key with the same request within 24 h replays the first response (`Idempotent-Replayed: true`) instead of running again. Scoped to the authenticated user; ignored on unauthenticated calls. */
                "Idempotency-Key"?: string;
            };
            path: {
                deliveryId: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Queued; the delivery as it is now */
            202: {
                headers: {
                    /** @description `true` when this response is the stored response of an earlier request with the same `Idempotency-Key` */
                    "Idempotent-Replayed"?: "true";
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeliveryResponseDto"];
                };
            };
            /** @description Malformed JSON or invalid fields (`errors[]` lists each); or `INVALID_IDEMPOTENCY_KEY` */
            400: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/validation-failed",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "detail": "title: title must be shorter than or equal to 200 characters",
                     *       "instance": "/api/v1/webhooks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/deliveries/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/redeliver",
                     *       "code": "VALIDATION_FAILED",
                     *       "errors": [
                     *         {
                     *           "field": "title",
                     *           "message": "title must be shorter than or equal to 200 characters"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unauthenticated",
                     *       "title": "Unauthorized",
                     *       "status": 401,
                     *       "detail": "The access token has expired",
                     *       "instance": "/api/v1/webhooks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/deliveries/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/redeliver",
                     *       "code": "UNAUTHENTICATED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Authenticated but not allowed */
            403: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/forbidden",
                     *       "title": "Forbidden",
                     *       "status": 403,
                     *       "detail": "You are not allowed to do this",
                     *       "instance": "/api/v1/webhooks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/deliveries/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/redeliver",
                     *       "code": "FORBIDDEN"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Unknown, or not visible to the caller */
            404: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/not-found",
                     *       "title": "Not Found",
                     *       "status": 404,
                     *       "detail": "Not found (or not visible to you)",
                     *       "instance": "/api/v1/webhooks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/deliveries/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/redeliver",
                     *       "code": "NOT_FOUND"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Conflicts with the current state; or `IDEMPOTENCY_IN_PROGRESS` */
            409: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/conflict",
                     *       "title": "Conflict",
                     *       "status": 409,
                     *       "detail": "Conflicts with the current state",
                     *       "instance": "/api/v1/webhooks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/deliveries/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/redeliver",
                     *       "code": "CONFLICT"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Refers to something invalid, or `IDEMPOTENCY_KEY_REUSED` */
            422: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/idempotency-key-reused",
                     *       "title": "Unprocessable Content",
                     *       "status": 422,
                     *       "detail": "The Idempotency-Key was used for a different request",
                     *       "instance": "/api/v1/webhooks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/deliveries/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/redeliver",
                     *       "code": "IDEMPOTENCY_KEY_REUSED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Rate limited (see `Retry-After`) */
            429: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/rate-limited",
                     *       "title": "Too Many Requests",
                     *       "status": 429,
                     *       "detail": "Too many requests; retry in 1 minute",
                     *       "instance": "/api/v1/webhooks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/deliveries/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/redeliver",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    "webhooks.rotateSecret": {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry of this request safe: the same key with the same request within 24 h replays the first response (`Idempotent-Replayed: true`) instead of running again. Scoped to the authenticated user; ignored on unauthenticated calls. */
                "Idempotency-Key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    /** @description `true` when this response is the stored response of an earlier request with the same `Idempotency-Key` */
                    "Idempotent-Replayed"?: "true";
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookWithSecretResponseDto"];
                };
            };
            /** @description Malformed JSON or invalid fields (`errors[]` lists each); or `INVALID_IDEMPOTENCY_KEY` */
            400: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/validation-failed",
                     *       "title": "Bad Request",
                     *       "status": 400,
                     *       "detail": "title: title must be shorter than or equal to 200 characters",
                     *       "instance": "/api/v1/webhooks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/rotate-secret",
                     *       "code": "VALIDATION_FAILED",
                     *       "errors": [
                     *         {
                     *           "field": "title",
                     *           "message": "title must be shorter than or equal to 200 characters"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unauthenticated",
                     *       "title": "Unauthorized",
                     *       "status": 401,
                     *       "detail": "The access token has expired",
                     *       "instance": "/api/v1/webhooks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/rotate-secret",
                     *       "code": "UNAUTHENTICATED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Authenticated but not allowed */
            403: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/forbidden",
                     *       "title": "Forbidden",
                     *       "status": 403,
                     *       "detail": "You are not allowed to do this",
                     *       "instance": "/api/v1/webhooks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/rotate-secret",
                     *       "code": "FORBIDDEN"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Unknown, or not visible to the caller */
            404: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/not-found",
                     *       "title": "Not Found",
                     *       "status": 404,
                     *       "detail": "Not found (or not visible to you)",
                     *       "instance": "/api/v1/webhooks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/rotate-secret",
                     *       "code": "NOT_FOUND"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Conflicts with the current state, or `IDEMPOTENCY_IN_PROGRESS` (retry shortly) */
            409: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/conflict",
                     *       "title": "Conflict",
                     *       "status": 409,
                     *       "detail": "Conflicts with the current state",
                     *       "instance": "/api/v1/webhooks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/rotate-secret",
                     *       "code": "CONFLICT"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Refers to something invalid, or `IDEMPOTENCY_KEY_REUSED` */
            422: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/idempotency-key-reused",
                     *       "title": "Unprocessable Content",
                     *       "status": 422,
                     *       "detail": "The Idempotency-Key was used for a different request",
                     *       "instance": "/api/v1/webhooks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/rotate-secret",
                     *       "code": "IDEMPOTENCY_KEY_REUSED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
            /** @description Rate limited (see `Retry-After`) */
            429: {
                headers: {
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/rate-limited",
                     *       "title": "Too Many Requests",
                     *       "status": 429,
                     *       "detail": "Too many requests; retry in 1 minute",
                     *       "instance": "/api/v1/webhooks/019ad0c4-5e1b-7c3a-8f2d-4b6e9a1c7d30/rotate-secret",
                     *       "code": "RATE_LIMITED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
    "health.live": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "health.ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The Health Check is successful */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @example {
                         *       "database": {
                         *         "status": "up",
                         *         "responseTime": 12
                         *       }
                         *     }
                         */
                        details?: {
                            [key: string]: {
                                /** @description Time the health indicator took to respond, in ms */
                                responseTime?: number;
                                /** @enum {string} */
                                status: "up" | "degraded" | "down";
                            } & {
                                [key: string]: unknown;
                            };
                        };
                        /** @example {} */
                        error?: {
                            [key: string]: {
                                /** @description Time the health indicator took to respond, in ms */
                                responseTime?: number;
                                /** @enum {string} */
                                status: "up" | "degraded" | "down";
                            } & {
                                [key: string]: unknown;
                            };
                        } | null;
                        /**
                         * @example {
                         *       "database": {
                         *         "status": "up",
                         *         "responseTime": 12
                         *       }
                         *     }
                         */
                        info?: {
                            [key: string]: {
                                /** @description Time the health indicator took to respond, in ms */
                                responseTime?: number;
                                /** @enum {string} */
                                status: "up" | "degraded" | "down";
                            } & {
                                [key: string]: unknown;
                            };
                        } | null;
                        /**
                         * @example ok
                         * @enum {string}
                         */
                        status?: "ok" | "degraded";
                    };
                };
            };
            /** @description The Health Check is not successful */
            503: {
                headers: {
                    "Retry-After": components["headers"]["Retry-After"];
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @example {
                         *       "database": {
                         *         "status": "up",
                         *         "responseTime": 12
                         *       },
                         *       "redis": {
                         *         "status": "down",
                         *         "message": "Could not connect",
                         *         "responseTime": 3005
                         *       }
                         *     }
                         */
                        details?: {
                            [key: string]: {
                                /** @description Time the health indicator took to respond, in ms */
                                responseTime?: number;
                                /** @enum {string} */
                                status: "up" | "degraded" | "down";
                            } & {
                                [key: string]: unknown;
                            };
                        };
                        /**
                         * @example {
                         *       "redis": {
                         *         "status": "down",
                         *         "message": "Could not connect",
                         *         "responseTime": 3005
                         *       }
                         *     }
                         */
                        error?: {
                            [key: string]: {
                                /** @description Time the health indicator took to respond, in ms */
                                responseTime?: number;
                                /** @enum {string} */
                                status: "up" | "degraded" | "down";
                            } & {
                                [key: string]: unknown;
                            };
                        } | null;
                        /**
                         * @example {
                         *       "database": {
                         *         "status": "up",
                         *         "responseTime": 12
                         *       }
                         *     }
                         */
                        info?: {
                            [key: string]: {
                                /** @description Time the health indicator took to respond, in ms */
                                responseTime?: number;
                                /** @enum {string} */
                                status: "up" | "degraded" | "down";
                            } & {
                                [key: string]: unknown;
                            };
                        } | null;
                        /**
                         * @example error
                         * @enum {string}
                         */
                        status?: "error" | "shutting_down";
                    };
                };
            };
        };
    };
    "metrics.scrape": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Metrics in the Prometheus text format */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description Missing, invalid or expired credentials */
            401: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "type": "https://taskwire.dev/problems/unauthenticated",
                     *       "title": "Unauthorized",
                     *       "status": 401,
                     *       "detail": "The access token has expired",
                     *       "instance": "/metrics",
                     *       "code": "UNAUTHENTICATED"
                     *     }
                     */
                    "application/problem+json": components["schemas"]["ProblemDto"];
                };
            };
        };
    };
}
