using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Relay.Host.Dashboard;

/// <summary>
/// When <c>relay.dashboard.token</c> is set, every request (page, API, metrics, health, WebSocket)
/// must carry it: <c>Authorization: Bearer &lt;token&gt;</c>, or <c>?token=&lt;token&gt;</c> for what a
/// browser cannot give headers to (EventSource, WebSocket, a bookmarked page).
/// </summary>
internal sealed class TokenGate(string token)
{
    // Compared as hashes: equal lengths, so the comparison's time says nothing about the token.
    private readonly byte[] _expected = SHA256.HashData(Encoding.UTF8.GetBytes(token));

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (Presented(context.Request) is { } presented
            && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), _expected))
        {
            await next(context);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer";
        await context.Response.WriteAsJsonAsync(
            new ErrorModel("this node requires a dashboard token: send Authorization: Bearer <token>, or open the page with ?token=<token>"),
            DashboardJson.Default.ErrorModel);
    }

    private static string? Presented(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return header["Bearer ".Length..].Trim();
        return request.Query.TryGetValue("token", out var query) ? query.ToString() : null;
    }
}
