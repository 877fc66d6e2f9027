namespace CallBalancer.Integration.Tests.Infrastructure.StrictTables;

/// <summary>The property types of the Table service's data model (OData v3 EDM types).</summary>
internal enum EdmType
{
    String,
    Int32,
    Int64,
    Double,
    Boolean,
    DateTime,
    Guid,
    Binary,
}
