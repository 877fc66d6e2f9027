using System.Text.Json.Nodes;

namespace CallBalancer.Functions.OpenApi;

/// <summary>
/// The description table of the OpenAPI document, keyed by function name. Routes and methods come from the functions'
/// own attributes; a test fails when a function has no entry here or an entry names no function.
/// </summary>
internal static class OpenApiDescriptions
{
    private static readonly Dictionary<string, string> Problem400 = new() { ["400"] = "Problem details naming each invalid field." };

    public static IReadOnlyDictionary<string, OperationDescription> All { get; } = new Dictionary<string, OperationDescription>(StringComparer.Ordinal)
    {
        ["GetStatus"] = new("Storage reachability, the last rebalance and the version.", "Operations",
            R(("200", "Healthy."), ("503", "Storage unreachable."))),
        ["PostQueueSnapshot"] = new("A queue snapshot from the telephony platform.", "Telephony",
            R(("202", "Stored, or superseded by a newer one."), ("400", "Invalid snapshot."), ("409", "Other snapshots of the queue kept replacing its row; nothing written, retry."), ("413", "Body too large."), ("415", "Not JSON."), ("503", "Storage unavailable; nothing written.")),
            Schema("""
            { "type": "object", "required": ["observedAt", "waitingCalls", "oldestWaitSeconds", "agents"], "properties": {
              "observedAt": { "type": "string", "format": "date-time" }, "waitingCalls": { "type": "integer", "minimum": 0 },
              "oldestWaitSeconds": { "type": "number", "minimum": 0 },
              "agents": { "type": "array", "items": { "type": "object", "required": ["agentId", "state"], "properties": {
                "agentId": { "type": "string" }, "state": { "enum": ["available", "on-call", "wrap-up", "not-ready", "logged-out"] } } } } } }
            """)),
        ["GetAgentMode"] = new("The agent's current mode, as the desktop shows it (fails safe to service-only).", "Agent desktop",
            R(("200", "The mode, since when, why, and the decision."), ("404", "Unknown agent."))),
        ["GetQueueSettings"] = new("A queue's supervisor settings (defaults for an unknown queue); the ETag header versions them.", "Supervisor",
            R(("200", "The settings."), ("401", "Not signed in."), ("403", "Not a supervisor."), ("503", "Storage unavailable.")), Supervisor: true),
        ["PutQueueSettings"] = new("Change a queue's settings (fields left out keep their values); audited; takes effect at the next rebalance.", "Supervisor",
            R(("200", "Saved; new ETag."), ("400", "Problem details naming each invalid field."), ("401", "Not signed in."), ("403", "Not a supervisor."), ("412", "Stale If-Match."), ("428", "If-Match missing."), ("503", "Storage unavailable; nothing written.")),
            Schema("""
            { "type": "object", "required": ["reason"], "properties": {
              "serviceLevelTarget": { "type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1 }, "targetSeconds": { "type": "number", "minimum": 1, "maximum": 600 },
              "maxAbandonRate": { "type": "number", "minimum": 0, "maximum": 1, "description": "The highest predicted share of callers who hang up before an answer that cross-sell may cause: agents are added while the model predicts at most 90% of it, removed above it; 1 switches it off. Default 0.05." }, "emergencyWaitSeconds": { "type": "number" },
              "emergencyQueueLength": { "type": "integer", "minimum": 1 }, "crossSellOnMargin": { "type": "number", "minimum": 0, "maximum": 0.5 },
              "crossSellOffMargin": { "type": "number", "minimum": 0, "maximum": 0.5 }, "minDwellSeconds": { "type": "number", "minimum": 0, "maximum": 7200 },
              "crossSellWindows": { "type": "array", "items": { "type": "object", "properties": {
                "days": { "type": "array", "items": { "enum": ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] } },
                "from": { "type": "string", "example": "08:00" }, "to": { "type": "string", "example": "20:00" } } } },
              "eligibleShare": { "type": "number", "minimum": 0, "maximum": 1 }, "pitchSeconds": { "type": "number", "minimum": 0 },
              "forecastIntervalMinutes": { "type": "integer", "description": "The forecast's interval length, the telephony setting CallBalancer__Telephony__IntervalMinutes for every queue: shown, and accepted back unchanged; any other value is refused (400)." }, "idleReserve": { "type": "integer", "minimum": 0 },
              "maxServiceLevelDrop": { "type": "number", "minimum": 0, "maximum": 1 }, "maxIntervalDrop": { "type": "number", "minimum": 0, "maximum": 1 },
              "forecastUpperWeight": { "type": "number", "minimum": 0, "maximum": 5 },
              "offerHold": { "type": "boolean" }, "offerHoldMaxWaiting": { "type": "integer", "minimum": 0 },
              "offerHoldMinIdleAgents": { "type": "integer", "minimum": 0 },
              "offerHoldQuietMinIdleAgents": { "type": "integer", "minimum": 0 }, "offerHoldQuietMinAgents": { "type": "integer", "minimum": 1 },
              "offerHoldGuardMargin": { "type": "number", "minimum": 0, "maximum": 1 }, "offerHoldEaseAboveWorst": { "type": "number", "minimum": 0, "maximum": 1, "description": "A half-hour going this much better than the day's worst half-hour so far (and at least at the guard's level) needs one free agent fewer before a pitch; 1 switches it off. Default 0.3." }, "offerHoldGuardMinCalls": { "type": "integer", "minimum": 0 },
              "dayRoomAboveWorst": { "type": "number", "minimum": 0, "maximum": 1, "description": "The day's room: once the day so far is answered within the target well above it and a half-hour has gone badly, the capacity's goal may come down, never below the day's worst half-hour so far plus this; the abandonment cap stretches while the day is under it. 1 switches it off. Default 0.1." },
              "reason": { "type": "string", "maxLength": 500 } } }
            """),
            Supervisor: true,
            Headers: new Dictionary<string, string> { ["If-Match"] = "Required. The ETag from GET." }),
        ["GetQueueAudit"] = new("Every settings and override change of a queue (who, when, old, new, reason), newest first, a page at a time.", "Supervisor",
            R(("200", "The entries and a continuation for the next page (null at the end)."), ("400", "Problem details: not a continuation of this audit."), ("401", "Not signed in."), ("403", "Not a supervisor."), ("503", "Storage unavailable.")), Supervisor: true,
            Query: new Dictionary<string, string>
            {
                ["take"] = "How many entries (default 50, at most 500).",
                ["continuation"] = "The previous page's continuation.",
            }),
        ["GetQueueDecisions"] = new("A queue's decision log for a period, newest first: each decision's rule, the numbers that made it fire and the agents it changed.", "Supervisor",
            R(("200", "The decisions and a continuation for the next page (null at the end)."), ("400", "Problem details naming each invalid field."), ("401", "Not signed in."), ("403", "Not a supervisor."), ("503", "Storage unavailable.")), Supervisor: true,
            Query: new Dictionary<string, string>
            {
                ["from"] = "Start of the period (ISO 8601; default 24 hours before 'to').",
                ["to"] = "End of the period, exclusive (default now; at most 92 days after 'from').",
                ["agentId"] = "Only decisions that changed this agent.",
                ["take"] = "How many decisions (default 50, at most 500).",
                ["continuation"] = "The previous page's continuation, with the same from and to.",
            }),
        ["GetModeOverrides"] = new("A queue's overrides, lapsed ones marked inactive.", "Supervisor",
            R(("200", "The overrides."), ("401", "Not signed in."), ("403", "Not a supervisor."), ("503", "Storage unavailable.")), Supervisor: true),
        ["PostModeOverride"] = new("Force an agent or the whole queue to a mode, or freeze the queue's modes, until a time or until cleared; audited.", "Supervisor",
            R(("201", "Set; the next rebalance honours it."), ("400", "Problem details naming each invalid field."), ("401", "Not signed in."), ("403", "Not a supervisor."), ("409", "Changed concurrently."), ("503", "Storage unavailable; nothing written.")),
            Schema("""
            { "type": "object", "required": ["scope", "reason"], "properties": {
              "scope": { "enum": ["agent", "queue", "freeze"] }, "agentId": { "type": "string" },
              "mode": { "enum": ["service-only", "cross-sell"] }, "until": { "type": "string", "format": "date-time" }, "reason": { "type": "string" } } }
            """),
            Supervisor: true),
        ["DeleteModeOverride"] = new("Clear an override (ids: queue, freeze, agent:{agentId}); audited.", "Supervisor",
            R(("204", "Cleared."), ("400", "Reason missing."), ("401", "Not signed in."), ("403", "Not a supervisor."), ("404", "No such override."), ("503", "Storage unavailable; nothing written.")), Supervisor: true,
            Query: new Dictionary<string, string> { ["reason"] = "Required. Why (goes into the audit)." }),
        ["GetQueueDashboard"] = new("Everything the live dashboard shows for a queue in one answer (at most one storage request per table).", "Supervisor",
            R(("200", "Snapshot, agents by mode, recent flips with reasons, overrides, settings and their ETag."), ("401", "Not signed in."), ("403", "Not a supervisor."), ("503", "Storage unavailable.")), Supervisor: true),
        ["GetDashboardPage"] = new("The supervisor console (HTML page; use ?queue=ID).", "Supervisor",
            R(("200", "text/html."))),
        ["PostWhatIf"] = new("Simulate a past day of the queue's own recorded traffic (or of the reference files) with the saved settings and with proposed ones, side by side.", "Supervisor",
            R(("200", "Both results."), ("400", "Problem details naming each invalid field."), ("401", "Not signed in."), ("403", "Not a supervisor."), ("404", "No traffic for that day."), ("503", "Storage unavailable, or no traffic data configured.")),
            Schema("""
            { "type": "object", "required": ["day"], "properties": { "day": { "type": "string", "format": "date" },
              "settings": { "type": "object", "description": "Proposed settings, as PUT /settings takes them (without reason)." },
              "source": { "enum": ["queue", "sample"], "description": "The queue's own recorded traffic, or the reference files; absent: the queue's own when it has calls that day." } } }
            """),
            Supervisor: true),
        ["PostTelephonyEvents"] = new("Telephony events in the internal model (call arrived, answered, abandoned, ended; agent state; queue snapshot), one or a batch; idempotent by event id.", "Telephony",
            R(("200", "Each event's outcome (accepted or duplicate)."), ("400", "Problem details naming each invalid field."), ("413", "Body too large."), ("415", "Not JSON."), ("503", "Storage unavailable; nothing written."))),
        ["PostTwilioTaskRouterEvent"] = new("A Twilio TaskRouter event callback (form-encoded), checked against X-Twilio-Signature.", "Telephony",
            R(("200", "Accepted or duplicate."), ("400", "Unreadable callback."), ("403", "Bad signature."), ("503", "Storage unavailable."))),
        ["PostAmazonConnectEvent"] = new("An Amazon Connect contact event.", "Telephony",
            R(("200", "Accepted or duplicate."), ("400", "Unreadable event."), ("503", "Storage unavailable."))),
        ["PostGenesysObservation"] = new("A Genesys Cloud queue observation (counts only; agents from the latest agent-state events).", "Telephony",
            R(("200", "Accepted or duplicate."), ("400", "Unreadable observation."), ("503", "Storage unavailable."))),
        ["GetQueueIntervals"] = new("A queue's per-interval counts for one UTC day (arrivals, answers, abandons, waits, handle time).", "Telephony",
            R(("200", "One object per interval, zeros included."), ("400", "Bad date."), ("503", "Storage unavailable.")),
            Query: new Dictionary<string, string> { ["date"] = "Required. The UTC day, yyyy-MM-dd." }),
        ["ListProducts"] = new("The cross-sell catalogue (seeded with a card issuer's eight products when empty), with each product's weight history.", "Offers",
            R(("200", "The products."), ("401", "Not signed in."), ("403", "Not a supervisor."), ("503", "Storage unavailable.")), Supervisor: true),
        ["GetProduct"] = new("One catalogue product.", "Offers",
            R(("200", "The product."), ("400", "Bad id."), ("401", "Not signed in."), ("403", "Not a supervisor."), ("404", "No such product."), ("503", "Storage unavailable.")), Supervisor: true),
        ["PutProduct"] = new("Create or replace a product; changed weights apply from weightsEffectiveFrom, at the earliest (and by default) 5 minutes + the catalogue cache lifetime ahead.", "Offers",
            R(("200", "Replaced."), ("201", "Created."), ("400", "Problem details naming each invalid field."), ("401", "Not signed in."), ("403", "Not a supervisor."), ("409", "Changed concurrently."), ("415", "Not JSON."), ("503", "Storage unavailable; nothing written.")),
            Schema("""
            { "type": "object", "required": ["name", "category", "valueWeight", "difficultyWeight", "coolDownDays"], "properties": {
              "name": { "type": "string", "maxLength": 100 }, "category": { "type": "string" },
              "valueWeight": { "type": "number", "exclusiveMinimum": 0, "maximum": 1000 }, "difficultyWeight": { "type": "number", "exclusiveMinimum": 0, "maximum": 1000 },
              "weightsEffectiveFrom": { "type": "string", "format": "date-time" }, "coolDownDays": { "type": "integer", "minimum": 0, "maximum": 3650 },
              "activeFrom": { "type": "string", "format": "date-time" }, "activeTo": { "type": "string", "format": "date-time" },
              "reason": { "type": "string", "maxLength": 500, "description": "Why, for the catalogue's audit (optional)." },
              "eligibility": { "type": "object", "properties": {
                "cardTiers": { "type": "array", "items": { "enum": ["classic", "gold", "platinum"] } }, "minimumTenureMonths": { "type": "integer", "minimum": 0 },
                "spendingCategories": { "type": "array", "items": { "type": "string" } }, "exclusiveWith": { "type": "array", "items": { "type": "string" } } } } } }
            """),
            Supervisor: true),
        ["GetCatalogueAudit"] = new("Every product edit (who, when, the product before and after with its newest weights, reason), newest first, a page at a time; written in one transaction with the edit.", "Offers",
            R(("200", "The entries and a continuation for the next page (null at the end)."), ("400", "Problem details: not a continuation of this audit."), ("401", "Not signed in."), ("403", "Not a supervisor."), ("503", "Storage unavailable.")), Supervisor: true,
            Query: new Dictionary<string, string>
            {
                ["take"] = "How many entries (default 50, at most 500).",
                ["continuation"] = "The previous page's continuation.",
            }),
        ["PutCustomerProfile"] = new("A customer's profile under a pseudonymous id (no names or card numbers: unknown fields are refused).", "Offers",
            R(("200", "Stored."), ("400", "Problem details naming each invalid field."), ("401", "Not signed in."), ("403", "Not a supervisor."), ("415", "Not JSON."), ("503", "Storage unavailable; nothing written.")),
            Schema("""
            { "type": "object", "required": ["tier", "tenureMonths"], "additionalProperties": false, "properties": {
              "tier": { "enum": ["classic", "gold", "platinum"] }, "tenureMonths": { "type": "integer", "minimum": 0, "maximum": 1200 },
              "holdings": { "type": "array", "items": { "type": "string" } },
              "monthlySpending": { "type": "object", "additionalProperties": { "type": "number", "minimum": 0 } } } }
            """),
            Supervisor: true),
        ["ImportCustomers"] = new("Profiles as text/csv: customerId,tier,tenureMonths,holdings(;),monthlySpending(category:amount;). Every line is checked before any is stored.", "Offers",
            R(("200", "How many were imported."), ("400", "Problem details naming each bad line."), ("401", "Not signed in."), ("403", "Not a supervisor."), ("413", "Over 4 MB."), ("415", "Not text/csv."), ("503", "Storage unavailable; some lines may be stored, and importing the same file again is safe.")),
            Supervisor: true),
        ["GetAgentOffers"] = new("3 to 5 offers for the caller on the line, best first, each with a plain-language why; none in service-only mode, on a complaint-type call, or while the offer hold applies (callers waiting or fewer than offerHoldMinIdleAgents, by default 3, other agents free; in a quiet queue of at least 31 agents the reserve the balancer computes, down to 1). Call it once the caller's request is resolved, right before the pitch: the hold judges the queue at that moment.", "Agent desktop",
            R(("200", "offers [{offerId, productId, name, score, why}], mode, noOfferReason."), ("400", "Problem details naming each invalid field."), ("404", "Unknown agent.")),
            Query: new Dictionary<string, string>
            {
                ["customerId"] = "Required. The caller's pseudonymous id.",
                ["reason"] = "Required. promotion-enquiry, bill-enquiry, card-activation, payment, general, complaint, fraud-report, lost-card or bereavement.",
            }),
        ["PostOfferOutcome"] = new("The customer's answer to an offer; idempotent; refused (409) past the contact limit, after an opt-out, for a product held or in its cool-down; an opt-out is recorded even past the limit.", "Agent desktop",
            R(("200", "Recorded or already recorded."), ("400", "Problem details naming each invalid field."), ("404", "Unknown offer."), ("409", "code: contact-limit, opted-out, product-held, cool-down (the rules the offers were shown under, judged again: two recommendations may be open at once), conflict, not-accepted; or the offer's product is no longer in the catalogue. Nothing written."), ("415", "Not JSON."), ("422", "code: before-offer: occurredAt is more than 5 minutes before the offer was shown; nothing written."), ("503", "Storage unavailable or busy; post again.")),
            Schema("""
            { "type": "object", "required": ["outcome", "agentId", "customerId", "occurredAt"], "properties": {
              "outcome": { "enum": ["accepted", "declined", "not-interested", "do-not-offer-again", "reversed"] },
              "agentId": { "type": "string" }, "customerId": { "type": "string" }, "occurredAt": { "type": "string", "format": "date-time" } } }
            """)),
        ["GetAgentKpi"] = new("An agent's offers made, acceptances, conversion and weighted credit for [from, to), summed from the ledger, and calls handled and AHT from the telephony call events.", "KPI",
            R(("200", "The report."), ("400", "Problem details naming each invalid field."), ("503", "Storage unavailable.")),
            Query: new Dictionary<string, string>
            {
                ["from"] = "Required. ISO 8601 instant.",
                ["to"] = "Required. ISO 8601 instant, at most 366 days after from.",
                ["format"] = "json (default) or csv (a download: scope, id, period, offers, acceptances, conversion, credit, calls, AHT).",
            }),
        ["GetQueueKpi"] = new("A queue's KPI for [from, to): the offers made and the calls handled in the queue (ledger and telephony call events), in total and per agent, and the calls credited to no agent.", "KPI",
            R(("200", "Totals and each agent."), ("400", "Problem details naming each invalid field."), ("401", "Not signed in."), ("403", "Not a supervisor."), ("404", "A queue with no agent and nothing recorded in the period."), ("503", "Storage unavailable.")),
            Supervisor: true,
            Query: new Dictionary<string, string>
            {
                ["from"] = "Required. ISO 8601 instant.",
                ["to"] = "Required. ISO 8601 instant, at most 366 days after from.",
                ["format"] = "json (default) or csv (a download: scope, id, period, offers, acceptances, conversion, credit, calls, AHT).",
            }),
        ["GetOpenApi"] = new("This document.", "Operations", R(("200", "OpenAPI 3.0 JSON."))),
    };

    private static Dictionary<string, string> R(params (string Status, string Description)[] responses) =>
        responses.ToDictionary(r => r.Status, r => r.Description, StringComparer.Ordinal);

    private static JsonNode Schema(string json) => JsonNode.Parse(json)!;
}
