namespace CallBalancer.Integration.Tests.Infrastructure.StrictTables;

/// <summary>An entity's primary key; entities sort by PartitionKey then RowKey, ordinally, as the service returns them.</summary>
internal readonly record struct EntityKey(string PartitionKey, string RowKey) : IComparable<EntityKey>
{
    public int CompareTo(EntityKey other)
    {
        var p = string.CompareOrdinal(PartitionKey, other.PartitionKey);
        return p != 0 ? p : string.CompareOrdinal(RowKey, other.RowKey);
    }

    public static bool operator <(EntityKey left, EntityKey right) => left.CompareTo(right) < 0;

    public static bool operator >(EntityKey left, EntityKey right) => left.CompareTo(right) > 0;

    public static bool operator <=(EntityKey left, EntityKey right) => left.CompareTo(right) <= 0;

    public static bool operator >=(EntityKey left, EntityKey right) => left.CompareTo(right) >= 0;
}
