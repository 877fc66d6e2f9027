namespace CallBalancer.Core.Offers;

/// <summary>
/// The over-marketing guard: no customer has more than <paramref name="MaxOffers"/> offers with a recorded answer in
/// any window of <paramref name="WindowDays"/> days (a sliding window, not calendar months).
/// </summary>
/// <param name="MaxOffers">Offers with a recorded outcome allowed per window (default 3).</param>
/// <param name="WindowDays">The window length in days (default 30).</param>
public sealed record ContactPolicy(int MaxOffers = 3, int WindowDays = 30)
{
    /// <summary>The default policy: 3 offers in any 30 days.</summary>
    public static ContactPolicy Default { get; } = new();

    /// <summary>The window length.</summary>
    public TimeSpan Window => TimeSpan.FromDays(WindowDays);

    /// <summary>
    /// True when one more recorded offer at <paramref name="at"/> keeps every window within the limit. The windows that
    /// could overflow are the half-open <c>[s, s + window)</c> containing <paramref name="at"/>; the fullest of them
    /// starts at <paramref name="at"/> or at an existing record in <c>(at - window, at]</c>.
    /// </summary>
    public bool CanRecordAt(IEnumerable<DateTimeOffset> recorded, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        var near = recorded.Where(t => t > at - Window && t < at + Window).ToList();
        foreach (var start in near.Where(t => t <= at).Append(at))
        {
            var end = start + Window;
            if (near.Count(t => t >= start && t < end) + 1 > MaxOffers)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The largest number of recorded offers in any window (for audits and the replay benchmark).</summary>
    public int MaxInAnyWindow(IEnumerable<DateTimeOffset> recorded)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        var sorted = recorded.Order().ToList();
        var max = 0;
        var j = 0;
        for (var i = 0; i < sorted.Count; i++)
        {
            while (sorted[i] - sorted[j] >= Window)
            {
                j++;
            }

            max = Math.Max(max, i - j + 1);
        }

        return max;
    }
}
