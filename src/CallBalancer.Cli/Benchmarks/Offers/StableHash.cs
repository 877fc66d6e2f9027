namespace CallBalancer.Cli.Benchmarks.Offers;

/// <summary>FNV-1a 64-bit: a hash that is the same in every run and process (string.GetHashCode is randomised).</summary>
internal static class StableHash
{
    public static ulong Of(string s)
    {
        var h = 14695981039346656037UL;
        foreach (var c in s)
        {
            h ^= c;
            h *= 1099511628211UL;
        }

        // Finalise (splitmix64) so that nearby inputs give independent-looking bits.
        h ^= h >> 30;
        h *= 0xbf58476d1ce4e5b9UL;
        h ^= h >> 27;
        h *= 0x94d049bb133111ebUL;
        return h ^ (h >> 31);
    }

    /// <summary>A uniform number in [0, 1) from the parts.</summary>
    public static double Uniform(params string[] parts) => (Of(string.Join('|', parts)) >> 11) * (1.0 / (1UL << 53));
}
