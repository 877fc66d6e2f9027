namespace CallBalancer.Integration.Tests.Infrastructure.StrictTables;

/// <summary>One stored entity: its keys, its typed properties (nulls are not stored), its ETag and its timestamp.</summary>
internal sealed record StrictEntity(
    string PartitionKey,
    string RowKey,
    IReadOnlyDictionary<string, EdmValue> Properties,
    string ETag,
    DateTimeOffset Timestamp)
{
    /// <summary>A property by name as a filter sees it: the keys and the timestamp are properties too.</summary>
    public EdmValue? Property(string name) => name switch
    {
        "PartitionKey" => new EdmValue(EdmType.String, PartitionKey),
        "RowKey" => new EdmValue(EdmType.String, RowKey),
        "Timestamp" => new EdmValue(EdmType.DateTime, Timestamp),
        _ => Properties.GetValueOrDefault(name),
    };
}
