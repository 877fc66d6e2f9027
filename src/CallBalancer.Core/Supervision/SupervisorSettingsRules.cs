using System.Globalization;

namespace CallBalancer.Core.Supervision;

/// <summary>
/// The domain rules a supervisor's settings must satisfy before they can steer a queue. Errors are keyed by the
/// field's JSON name (<c>serviceLevelTarget</c>, <c>crossSellWindows[1].to</c>) so a form can show each one inline.
/// </summary>
public static class SupervisorSettingsRules
{
    /// <summary>The most cross-sell windows a queue may have.</summary>
    public const int MaxWindows = 28;

    /// <summary>Every broken rule, field name to messages; empty when the settings are valid.</summary>
    public static IReadOnlyDictionary<string, string[]> Validate(SupervisorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list))
            {
                errors[field] = list = [];
            }

            list.Add(message);
        }

        void Range(string field, double value, double min, double max, string unit)
        {
            if (!double.IsFinite(value) || value < min || value > max)
            {
                Add(field, string.Create(CultureInfo.InvariantCulture, $"Must be between {min} and {max}{unit}."));
            }
        }

        // A target of 0 would let the whole queue cross-sell. 1 (every call within the target) is no target for a
        // queueing model: Erlang C and A reach it only with infinitely many agents, and the staffing model refuses it.
        if (!(settings.ServiceLevelTarget > 0 && settings.ServiceLevelTarget < 1))
        {
            Add("serviceLevelTarget", "Must be a share above 0 and below 1 (0.8 means 80%; 1, every call within the target, no queue can be staffed for).");
        }

        Range("targetSeconds", settings.TargetSeconds, 1, 600, " seconds");
        Range("maxAbandonRate", settings.MaxAbandonRate, 0, 1, " (a share)");
        Range("emergencyWaitSeconds", settings.EmergencyWaitSeconds, 1, 3600, " seconds");
        if (double.IsFinite(settings.EmergencyWaitSeconds) && double.IsFinite(settings.TargetSeconds)
            && settings.EmergencyWaitSeconds <= settings.TargetSeconds)
        {
            // The emergency rule fires after the service-level deadline has already been missed, never before it.
            Add("emergencyWaitSeconds", "Must be longer than targetSeconds.");
        }

        Range("emergencyQueueLength", settings.EmergencyQueueLength, 1, 100_000, " calls");
        Range("crossSellOnMargin", settings.CrossSellOnMargin, 0, 0.5, " (a share)");
        Range("crossSellOffMargin", settings.CrossSellOffMargin, 0, 0.5, " (a share)");
        if (settings.CrossSellOffMargin > settings.CrossSellOnMargin)
        {
            // Hysteresis needs a gap: switching off above the switch-on level would flicker.
            Add("crossSellOffMargin", "Must not exceed crossSellOnMargin (hysteresis).");
        }

        if (settings.ServiceLevelTarget is > 0 and < 1 && settings.CrossSellOnMargin is >= 0 and <= 0.5
            && settings.ServiceLevelTarget + settings.CrossSellOnMargin >= 1)
        {
            // Cross-selling starts when the predicted service level reaches the target plus this margin: at 100% or
            // more it never would, and the queue would be service-only for good without saying why.
            Add("crossSellOnMargin", "serviceLevelTarget plus crossSellOnMargin must stay below 1 (100%), or no agent would ever cross-sell.");
        }

        Range("minDwellSeconds", settings.MinDwellSeconds, 0, 7200, " seconds");
        Range("eligibleShare", settings.EligibleShare, 0, 1, " (a share)");
        Range("pitchSeconds", settings.PitchSeconds, 0, 1800, " seconds");
        if (settings.ForecastIntervalMinutes is < 5 or > 60 || 60 % settings.ForecastIntervalMinutes != 0)
        {
            Add("forecastIntervalMinutes", "Must divide an hour: 5, 6, 10, 12, 15, 20, 30 or 60 minutes.");
        }

        Range("idleReserve", settings.IdleReserve, 0, 1000, " agents");
        Range("maxServiceLevelDrop", settings.MaxServiceLevelDrop, 0, 1, " (a share)");
        Range("maxIntervalDrop", settings.MaxIntervalDrop, 0, 1, " (a share)");
        Range("forecastUpperWeight", settings.ForecastUpperWeight, 0, 5, "");
        Range("offerHoldMaxWaiting", settings.OfferHoldMaxWaiting, 0, 100_000, " calls");
        Range("offerHoldMinIdleAgents", settings.OfferHoldMinIdleAgents, 0, 1000, " agents");
        Range("offerHoldQuietMinIdleAgents", settings.OfferHoldQuietMinIdleAgents, 0, 1000, " agents");
        if (settings.OfferHoldQuietMinIdleAgents > settings.OfferHoldMinIdleAgents)
        {
            // The quiet-queue easing lowers the reserve towards this; above the reserve it would switch itself off.
            Add("offerHoldQuietMinIdleAgents", "Must not exceed offerHoldMinIdleAgents (set it equal to switch the quiet-queue easing off).");
        }

        Range("offerHoldQuietMinAgents", settings.OfferHoldQuietMinAgents, 1, 100_000, " agents");
        Range("offerHoldGuardMargin", settings.OfferHoldGuardMargin, 0, 1, " (a share)");
        Range("offerHoldEaseAboveWorst", settings.OfferHoldEaseAboveWorst, 0, 1, " (a share; 1 switches it off)");
        Range("dayRoomAboveWorst", settings.DayRoomAboveWorst, 0, 1, " (a share; 1 switches it off)");
        Range("offerHoldGuardMinCalls", settings.OfferHoldGuardMinCalls, 0, 100_000, " calls");

        var windows = settings.CrossSellWindows ?? [];
        if (windows.Count > MaxWindows)
        {
            Add("crossSellWindows", string.Create(CultureInfo.InvariantCulture, $"At most {MaxWindows} windows."));
        }

        for (var i = 0; i < windows.Count; i++)
        {
            var w = windows[i];
            var prefix = string.Create(CultureInfo.InvariantCulture, $"crossSellWindows[{i}]");
            if (w is null)
            {
                Add(prefix, "Must be a window.");
                continue;
            }

            if (w.Days is null || w.Days.Count == 0)
            {
                Add(prefix + ".days", "Name at least one weekday.");
            }
            else if (w.Days.Distinct().Count() != w.Days.Count)
            {
                Add(prefix + ".days", "Name each weekday once.");
            }

            // 00:00 to 24:00 (both midnight) is the whole day; any other equal pair is empty or ambiguous.
            if (w.From == w.To && w.From != TimeOnly.MinValue)
            {
                Add(prefix + ".to", "Must differ from 'from' (an empty window); 00:00 to 24:00 is the whole day.");
            }
        }

        return errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
    }
}
