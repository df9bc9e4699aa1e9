using System.Text;
using System.Text.Json;

namespace Linli.Channels.DirectLine;

/// <summary><c>{"activities":[…],"watermark":"N"}</c>, written from the stored JSON without re-encoding it.</summary>
public static class ActivitySet
{
    public static byte[] Utf8(IEnumerable<DirectLineActivityRecord> activities, int watermark)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("activities");
            foreach (var a in activities) writer.WriteRawValue(a.Json, skipInputValidation: true);
            writer.WriteEndArray();
            writer.WriteString("watermark", watermark.ToString());
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    public static string Json(IEnumerable<DirectLineActivityRecord> activities, int watermark) =>
        Encoding.UTF8.GetString(Utf8(activities, watermark));
}
