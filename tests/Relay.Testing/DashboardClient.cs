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
    /// view follows the cluster within a report interval, a second), failing with <paramref name="what"/>
    /// and the last body after <paramref name="within"/> (10 s).
    /// </summary>
    public async Task<JsonElement> WaitForAsync(string path, Func<JsonElement, bool> condition, string what, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(10));
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            var (status, body) = await GetJsonAsync(path);
            last = body;
            if (status == HttpStatusCode.OK && condition(body))
                return body;
            await Task.Delay(100);
        }

        throw new TimeoutException($"{what}: {path} never showed it; last answer {last}");
    }

    /// <summary>Releases the HTTP client.</summary>
    public void Dispose() => _http.Dispose();
}
