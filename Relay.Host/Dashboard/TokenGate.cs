using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Relay.Host.Dashboard;

/// <summary>
/// When <c>relay.dashboard.token</c> is set, every request (page, scripts, API, metrics, health,
/// WebSocket) must carry it: <c>Authorization: Bearer &lt;token&gt;</c> for tools, <c>?token=&lt;token&gt;</c>
/// for a browser's first visit, after which a cookie carries it (a page cannot add the token to
/// the requests for its own scripts, nor headers to EventSource and WebSocket).
/// </summary>
internal sealed class TokenGate(string token)
{
    private const string Cookie = "relay_dashboard_token";

    // Compared as hashes: equal lengths, so the comparison's time says nothing about the token.
    private readonly byte[] _expected = Hash(token);

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (Matches(Bearer(request)) || MatchesCookie(request.Cookies[Cookie]))
        {
            await next(context);
            return;
        }

        if (Matches(request.Query["token"].ToString()))
        {
            // The cookie holds the token's hash: enough to open the page again, useless as a bearer token.
            context.Response.Cookies.Append(Cookie, Convert.ToHexString(_expected), new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = request.IsHttps,
                Path = "/",
            });
            await next(context);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer";
        await context.Response.WriteAsJsonAsync(
            new ErrorModel("this node requires a dashboard token: send Authorization: Bearer <token>, or open the page with ?token=<token>"),
            DashboardJson.Default.ErrorModel);
    }

    private bool Matches(string? presented) =>
        !string.IsNullOrEmpty(presented) && CryptographicOperations.FixedTimeEquals(Hash(presented), _expected);

    private bool MatchesCookie(string? cookie)
    {
        if (string.IsNullOrEmpty(cookie) || cookie.Length != 2 * _expected.Length)
            return false;
        try
        {
            return CryptographicOperations.FixedTimeEquals(Convert.FromHexString(cookie), _expected);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static string? Bearer(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }

    private static byte[] Hash(string text) => SHA256.HashData(Encoding.UTF8.GetBytes(text));
}
