namespace CallBalancer.Storage;

/// <summary>How long each kind of data is kept, and how much one retention run may delete.</summary>
/// <param name="Operational">
/// Decisions, queue snapshots, telephony interval counts with their dedupe records, and call records: removed once
/// older than this. Must exceed the oldest event the webhooks accept, or a re-sent event could outlive its dedupe
/// record and count twice (the app settings check that).
/// </param>
/// <param name="Offers">Offers shown to customers: removed once made longer ago than this (outcomes and reversals of older offers answer 404).</param>
/// <param name="MaxEntityDeletes">Entity deletes one run may do (whole tables dropped do not count); the rest waits for the next run.</param>
public sealed record RetentionPolicy(TimeSpan Operational, TimeSpan Offers, int MaxEntityDeletes);
