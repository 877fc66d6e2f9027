namespace CallBalancer.Functions.Supervision;

/// <summary>
/// Where the what-if panel finds real traffic, bound from <c>CallBalancer:WhatIf</c> (<c>CallBalancer__WhatIf__X</c>).
/// </summary>
public sealed class WhatIfOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "CallBalancer:WhatIf";

    /// <summary>
    /// The folder holding the traffic files. Default: empty, meaning <c>shared/data</c> found by walking up from the
    /// app's folder and the current directory (the repository sits beside <c>shared/</c>).
    /// </summary>
    public string? DataPath { get; set; }

    /// <summary>Per-interval arrivals (<c>interval_start,calls</c>) to replay. Default <c>anonymous_bank_1999_6min.csv</c>.</summary>
    public string ArrivalsFile { get; set; } = "anonymous_bank_1999_6min.csv";

    /// <summary>Per-call records whose answered calls give the empirical service times. Default <c>anonymous_bank_1999_02_calls.csv</c>.</summary>
    public string CallsFile { get; set; } = "anonymous_bank_1999_02_calls.csv";

    /// <summary>The simulator's random seed (the same for both runs, so they differ only by the settings). Default 1.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>
    /// Days of the queue's own recorded traffic before the day replayed, for the forecast and the staffing plan, 1 to 35
    /// (the telephony intervals are kept 35 days by default). Default 28.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(1, 35)]
    public int HistoryDays { get; set; } = 28;

    /// <summary>
    /// Coefficient of variation of the lognormal handle times used for a queue's own traffic when no reference calls
    /// file is found (with one, its empirical shape is stretched to the queue's handle time instead), 0.1 to 5. Default 1.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(0.1, 5.0)]
    public double ServiceTimeCv { get; set; } = 1.0;
}
