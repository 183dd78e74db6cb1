using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Relay.Bench;

/// <summary>One workload's figures, printed as a table or as one JSON line.</summary>
internal sealed class BenchResult(string workload)
{
    private readonly List<KeyValuePair<string, object>> _figures = new();

    public string Workload { get; } = workload;

    public bool Completed { get; set; } = true;

    public BenchResult Add(string name, object value)
    {
        _figures.Add(new(name, value));
        return this;
    }

    public object? this[string name] => _figures.FirstOrDefault(f => f.Key == name).Value;

    public string ToJson()
    {
        var values = new Dictionary<string, object> { ["workload"] = Workload, ["completed"] = Completed };
        foreach (var (name, value) in _figures)
            values[name] = value;
        return JsonSerializer.Serialize(values);
    }

    public string ToTable()
    {
        var builder = new StringBuilder();
        builder.AppendLine(CultureInfo.InvariantCulture, $"{Workload}{(Completed ? "" : " (stopped at the time limit)")}");
        var width = _figures.Max(f => f.Key.Length);
        foreach (var (name, value) in _figures)
            builder.AppendLine(CultureInfo.InvariantCulture, $"  {name.PadRight(width)}  {Format(value)}");
        return builder.ToString();
    }

    private static string Format(object value) => value switch
    {
        double d => d.ToString("#,0.##", CultureInfo.InvariantCulture),
        long or int => string.Format(CultureInfo.InvariantCulture, "{0:#,0}", value),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
