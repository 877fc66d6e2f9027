using System.Globalization;
using System.Text;
using Azure.Data.Tables;

namespace CallBalancer.Storage;

/// <summary>
/// Long strings on table entities: a string property holds at most 32K UTF-16 characters (64 KB), so a longer value is
/// spread over numbered properties <c>{name}0</c>, <c>{name}1</c>, ... with <c>{name}Chunks</c> giving their count
/// (an entity holds 1 MB in all).
/// </summary>
public static class EntityChunks
{
    private const int ChunkChars = 30_000;

    /// <summary>Writes <paramref name="value"/> across as many properties as it needs.</summary>
    public static void Write(TableEntity entity, string name, string value)
    {
        ArgumentNullException.ThrowIfNull(entity);
        ArgumentNullException.ThrowIfNull(value);
        var chunks = 0;
        for (var i = 0; i < value.Length; i += ChunkChars, chunks++)
        {
            entity[name + chunks.ToString(CultureInfo.InvariantCulture)] = value.Substring(i, Math.Min(ChunkChars, value.Length - i));
        }

        entity[name + "Chunks"] = chunks;
    }

    /// <summary>
    /// Reads a value written by <see cref="Write"/> under <paramref name="name"/>, or, on a row that holds it in one
    /// property (a short value, or a row from before the value was chunked), <paramref name="singleName"/>;
    /// <paramref name="fallback"/> when neither is there.
    /// </summary>
    public static string ReadOrSingle(TableEntity entity, string name, string singleName, string fallback)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return entity.GetInt32(name + "Chunks") is not null ? Read(entity, name) : entity.GetString(singleName) ?? fallback;
    }

    /// <summary>Reads a value written by <see cref="Write"/>; empty when absent.</summary>
    public static string Read(TableEntity entity, string name)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var chunks = entity.GetInt32(name + "Chunks") ?? 0;
        var text = new StringBuilder();
        for (var i = 0; i < chunks; i++)
        {
            text.Append(entity.GetString(name + i.ToString(CultureInfo.InvariantCulture)));
        }

        return text.ToString();
    }
}
