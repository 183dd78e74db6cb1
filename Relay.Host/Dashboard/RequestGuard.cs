using System.Net;
using Microsoft.AspNetCore.Http;

namespace Relay.Host.Dashboard;

/// <summary>
/// What every request to the node's HTTP side must be before anything answers it. The Host must
/// name the node by address (or as localhost, or as a name in <c>relay.dashboard.allowed-hosts</c>),
/// so a web page whose own name was pointed at the node (DNS rebinding) is refused. A WebSocket
/// opened by a page must come from a page of this same origin, so no other site the operator
/// visits can chat as a client through the operator's browser. Answers carry headers that keep
/// the page out of other sites' frames and the API's answers out of caches.
/// </summary>
internal sealed class RequestGuard(IReadOnlyCollection<string> allowedHosts)
{
    private readonly HashSet<string> _allowedHosts = new(allowedHosts, StringComparer.OrdinalIgnoreCase) { "localhost" };

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        var host = request.Host.Host;
        if (!IPAddress.TryParse(host, out _) && !_allowedHosts.Contains(host))
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest,
                $"Host '{host}' is not allowed: use the node's address, or add the name to relay.dashboard.allowed-hosts");
            return;
        }

        // The upgrade header, not context.WebSockets: this runs before the WebSocket middleware.
        var upgrade = string.Equals(request.Headers.Upgrade.ToString(), "websocket", StringComparison.OrdinalIgnoreCase);
        if (upgrade && request.Headers.Origin.ToString() is { Length: > 0 } origin && !IsSameOrigin(origin, request))
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, $"WebSocket from another origin ({origin}) refused");
            return;
        }

        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers.ContentSecurityPolicy = "frame-ancestors 'none'";
        headers.CacheControl = "no-store";
        await next(context);
    }

    private static bool IsSameOrigin(string origin, HttpRequest request) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);

    private static Task RefuseAsync(HttpContext context, int status, string reason)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new ErrorModel(reason), DashboardJson.Default.ErrorModel);
    }
}
