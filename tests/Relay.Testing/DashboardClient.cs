using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Relay.Testing;

/// <summary>A node's dashboard over real HTTP: its JSON API, metrics and health.</summary>
public sealed class DashboardClient : IDisposable
{
    private readonly HttpClient _http;

    /// <summary>A client of the dashboard at <paramref name="root"/>, sending <paramref name="token"/> as a bearer token if given.</summary>
    public DashboardClient(Uri root, string? token = null)
    {
        _http = new HttpClient { BaseAddress = root, Timeout = TimeSpan.FromSeconds(10) };
        if (token is not null)
            _http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary>The raw HTTP client, for status codes and headers.</summary>
    public HttpClient Http => _http;

    /// <summary>GETs <paramref name="path"/> and parses its JSON body (whatever the status).</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> GetJsonAsync(string path)
    {
        using var response = await _http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>
    /// GETs <paramref name="path"/> until its JSON satisfies <paramref name="condition"/> (the dashboard's
    /// view follows the cluster within a report interval, a second; a refused connection, from a
    /// process still starting, counts as not yet), failing with <paramref name="what"/>
    /// and the last body after <paramref name="within"/> (10 s).
    /// </summary>
    public async Task<JsonElement> WaitForAsync(string path, Func<JsonElement, bool> condition, string what, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(10));
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var (status, body) = await GetJsonAsync(path);
                last = body;
                if (status == HttpStatusCode.OK && condition(body))
                    return body;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                // Not listening yet (a process still starting): ask again.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{what}: {path} never showed it; last answer {last}");
    }

    /// <summary>
    /// The value of the one sample in a Prometheus <paramref name="exposition"/> whose line starts
    /// with <paramref name="prefix"/> (a metric name, and <c>{</c> to match it exactly) and contains
    /// <paramref name="label"/>.
    /// </summary>
    public static double Sample(string exposition, string prefix, string label = "")
    {
        var line = exposition.Split('\n').SingleOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal) && l.Contains(label, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"no sample {prefix}…{label}… in\n{exposition}");
        return double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
    }

    /// <summary>The current value of the node's metric <paramref name="name"/> (one sample, no labels of its own).</summary>
    public async Task<double> MetricAsync(string name) => Sample(await _http.GetStringAsync("/metrics"), name + "{");

    /// <summary>Releases the HTTP client.</summary>
    public void Dispose() => _http.Dispose();
}
