using System.Globalization;
using CallBalancer.Core.Supervision;
using CallBalancer.Storage;

namespace CallBalancer.Functions.Supervision;

/// <summary>Maps the settings JSON to the core's <see cref="SupervisorSettings"/> and back; validation is the core's.</summary>
internal static class QueueSettingsMapper
{
    /// <summary>The ETag a queue on defaults answers with; an <c>If-Match</c> naming it means "create".</summary>
    public const string DefaultsETag = "\"defaults\"";

    public const int MaxReasonLength = 500;

    private static readonly string[] DayNames = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

    /// <summary>The merged settings (absent fields keep <paramref name="current"/>'s values), or every error by field.</summary>
    public static (SupervisorSettings? Settings, Dictionary<string, string[]> Errors) Merge(QueueSettingsRequest body, SupervisorSettings current, int telephonyIntervalMinutes)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var windows = current.CrossSellWindows;
        if (body.CrossSellWindows is not null)
        {
            var parsed = new List<CrossSellWindow>();
            for (var i = 0; i < body.CrossSellWindows.Count; i++)
            {
                var prefix = string.Create(CultureInfo.InvariantCulture, $"crossSellWindows[{i}]");
                var w = body.CrossSellWindows[i];
                if (w is null)
                {
                    errors[prefix] = ["Must be a window: { \"days\": [\"monday\"], \"from\": \"08:00\", \"to\": \"18:00\" }."];
                    continue;
                }

                var days = new List<DayOfWeek>();
                foreach (var d in w.Days ?? [])
                {
                    var index = Array.IndexOf(DayNames, d?.Trim().ToLowerInvariant());
                    if (index < 0)
                    {
                        errors[prefix + ".days"] = [$"'{d}' is not a weekday; use monday ... sunday."];
                    }
                    else
                    {
                        days.Add((DayOfWeek)index);
                    }
                }

                var from = ParseTime(w.From);
                var to = ParseTime(w.To);
                if (from is null)
                {
                    errors[prefix + ".from"] = ["Must be a time of day, HH:mm (UTC)."];
                }

                if (to is null)
                {
                    errors[prefix + ".to"] = ["Must be a time of day, HH:mm (UTC); 24:00 means midnight."];
                }

                if (from is not null && to is not null)
                {
                    parsed.Add(new CrossSellWindow(days, from.Value, to.Value));
                }
            }

            windows = parsed;
        }

        var merged = current with
        {
            ServiceLevelTarget = body.ServiceLevelTarget ?? current.ServiceLevelTarget,
            TargetSeconds = body.TargetSeconds ?? current.TargetSeconds,
            MaxAbandonRate = body.MaxAbandonRate ?? current.MaxAbandonRate,
            EmergencyWaitSeconds = body.EmergencyWaitSeconds ?? current.EmergencyWaitSeconds,
            EmergencyQueueLength = body.EmergencyQueueLength ?? current.EmergencyQueueLength,
            CrossSellOnMargin = body.CrossSellOnMargin ?? current.CrossSellOnMargin,
            CrossSellOffMargin = body.CrossSellOffMargin ?? current.CrossSellOffMargin,
            MinDwellSeconds = body.MinDwellSeconds ?? current.MinDwellSeconds,
            CrossSellWindows = windows,
            EligibleShare = body.EligibleShare ?? current.EligibleShare,
            PitchSeconds = body.PitchSeconds ?? current.PitchSeconds,
            IdleReserve = body.IdleReserve ?? current.IdleReserve,
            MaxServiceLevelDrop = body.MaxServiceLevelDrop ?? current.MaxServiceLevelDrop,
            MaxIntervalDrop = body.MaxIntervalDrop ?? current.MaxIntervalDrop,
            ForecastUpperWeight = body.ForecastUpperWeight ?? current.ForecastUpperWeight,
            OfferHold = body.OfferHold ?? current.OfferHold,
            OfferHoldMaxWaiting = body.OfferHoldMaxWaiting ?? current.OfferHoldMaxWaiting,
            OfferHoldMinIdleAgents = body.OfferHoldMinIdleAgents ?? current.OfferHoldMinIdleAgents,
            OfferHoldQuietMinIdleAgents = body.OfferHoldQuietMinIdleAgents ?? current.OfferHoldQuietMinIdleAgents,
            OfferHoldQuietMinAgents = body.OfferHoldQuietMinAgents ?? current.OfferHoldQuietMinAgents,
            OfferHoldGuardMargin = body.OfferHoldGuardMargin ?? current.OfferHoldGuardMargin,
            OfferHoldEaseAboveWorst = body.OfferHoldEaseAboveWorst ?? current.OfferHoldEaseAboveWorst,
            DayRoomAboveWorst = body.DayRoomAboveWorst ?? current.DayRoomAboveWorst,
            OfferHoldGuardMinCalls = body.OfferHoldGuardMinCalls ?? current.OfferHoldGuardMinCalls,
        };
        // The forecast's intervals are the telephony intervals, one length for every queue: the document shows that length,
        // so it can be sent back; another one cannot be honoured, and is refused rather than stored and ignored.
        if (body.ForecastIntervalMinutes is { } interval && interval != telephonyIntervalMinutes)
        {
            errors["forecastIntervalMinutes"] = [string.Create(CultureInfo.InvariantCulture,
                $"The forecast's intervals are the telephony intervals, {telephonyIntervalMinutes} minutes for every queue (app setting CallBalancer__Telephony__IntervalMinutes); a queue cannot set its own.")];
        }

        foreach (var (field, messages) in SupervisorSettingsRules.Validate(merged))
        {
            errors.TryAdd(field, messages);
        }

        return (errors.Count == 0 ? merged : null, errors);
    }

    /// <summary>Checks the audit reason; null when fine.</summary>
    public static string? ReasonError(string? reason) =>
        string.IsNullOrWhiteSpace(reason) ? "Say why (it goes into the audit)."
        : reason.Length > MaxReasonLength ? $"At most {MaxReasonLength} characters."
        : null;

    /// <summary>
    /// The JSON shape of settings, as GET answers and the dashboard shows them; <c>forecastIntervalMinutes</c> is the
    /// telephony interval, the one the forecast uses.
    /// </summary>
    public static object ToDocument(string queueId, SupervisorSettings s, StoredSettings? stored, int telephonyIntervalMinutes) => new
    {
        queueId,
        source = stored is null ? "defaults" : "supervisor",
        updatedBy = stored?.UpdatedBy,
        updatedAt = stored?.UpdatedAt,
        serviceLevelTarget = s.ServiceLevelTarget,
        targetSeconds = s.TargetSeconds,
        maxAbandonRate = s.MaxAbandonRate,
        emergencyWaitSeconds = s.EmergencyWaitSeconds,
        emergencyQueueLength = s.EmergencyQueueLength,
        crossSellOnMargin = s.CrossSellOnMargin,
        crossSellOffMargin = s.CrossSellOffMargin,
        minDwellSeconds = s.MinDwellSeconds,
        crossSellWindows = s.CrossSellWindows.Select(w => new
        {
            days = w.Days.Select(d => DayNames[(int)d]).ToArray(),
            from = w.From.ToString("HH:mm", CultureInfo.InvariantCulture),
            to = w.To == TimeOnly.MinValue ? "24:00" : w.To.ToString("HH:mm", CultureInfo.InvariantCulture),
        }).ToArray(),
        eligibleShare = s.EligibleShare,
        pitchSeconds = s.PitchSeconds,
        forecastIntervalMinutes = telephonyIntervalMinutes,
        idleReserve = s.IdleReserve,
        maxServiceLevelDrop = s.MaxServiceLevelDrop,
        maxIntervalDrop = s.MaxIntervalDrop,
        forecastUpperWeight = s.ForecastUpperWeight,
        offerHold = s.OfferHold,
        offerHoldMaxWaiting = s.OfferHoldMaxWaiting,
        offerHoldMinIdleAgents = s.OfferHoldMinIdleAgents,
        offerHoldQuietMinIdleAgents = s.OfferHoldQuietMinIdleAgents,
        offerHoldQuietMinAgents = s.OfferHoldQuietMinAgents,
        offerHoldGuardMargin = s.OfferHoldGuardMargin,
        offerHoldEaseAboveWorst = s.OfferHoldEaseAboveWorst,
        dayRoomAboveWorst = s.DayRoomAboveWorst,
        offerHoldGuardMinCalls = s.OfferHoldGuardMinCalls,
    };

    /// <summary>The ETag header value for stored settings, or <see cref="DefaultsETag"/>.</summary>
    public static string ETagOf(StoredSettings? stored) => stored is null ? DefaultsETag : stored.ETag.ToString();

    private static TimeOnly? ParseTime(string? text)
    {
        if (text is "24:00")
        {
            return TimeOnly.MinValue;
        }

        return TimeOnly.TryParseExact(text, ["HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : null;
    }
}
