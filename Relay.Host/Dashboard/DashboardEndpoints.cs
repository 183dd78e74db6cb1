using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Relay.Actors;
using Relay.Actors.WebSocketTransport;

namespace Relay.Host.Dashboard;

/// <summary>
/// Everything the node serves over HTTP: the page (embedded files), its JSON API and event
/// stream, the browser chat's WebSocket, Prometheus metrics and health. docs/operations.md lists
/// each endpoint.
/// </summary>
internal static class DashboardEndpoints
{
    public static void Map(WebApplication app, DashboardSettings settings)
    {
        var guard = new RequestGuard(settings.AllowedHosts);
        app.Use((context, next) => guard.InvokeAsync(context, _ => next()));
        if (settings.Token is { } token)
        {
            var gate = new TokenGate(token);
            app.Use((context, next) => gate.InvokeAsync(context, _ => next()));
        }

        // A browser answers pings by itself: a socket that does not within the timeout is gone.
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30), KeepAliveTimeout = TimeSpan.FromSeconds(30) });
        var files = new ManifestEmbeddedFileProvider(typeof(DashboardEndpoints).Assembly, "wwwroot");
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files });

        app.MapGet("/healthz", () => Results.Json(new HealthModel("ok", "the process is running"), DashboardJson.Default.HealthModel));
        app.MapGet("/readyz", (RelayNodeService service) =>
        {
            var (ready, reason) = service.Node?.Readiness() ?? (false, "starting: joining the cluster");
            return Results.Json(
                new HealthModel(ready ? "ready" : "not ready", reason), DashboardJson.Default.HealthModel,
                statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        app.MapPrometheusScrapingEndpoint("/metrics");

        var api = app.MapGroup("/api");
        api.MapGet("/overview", (RelayNodeService service) => WithNode(service, node => Results.Json(DashboardApi.Overview(node), DashboardJson.Default.OverviewModel)));
        api.MapGet("/nodes", (RelayNodeService service) =>
            WithNode(service, node => Results.Json(new NodesModel(DashboardApi.Nodes(node)), DashboardJson.Default.NodesModel)));
        // Query values are read as text: a value that is not a number gets the same JSON reason as one out of range.
        api.MapGet("/clients", async (RelayNodeService service, string? from, string? limit) =>
        {
            if (!TryNumber(from, 0, long.MaxValue, 0, out var first) || !TryNumber(limit, 1, DashboardApi.MaxPageSize, DashboardApi.DefaultPageSize, out var size))
                return BadRequest($"from must be a whole number from 0, and limit one from 1 to {DashboardApi.MaxPageSize}");
            if (service.Node is not { } node)
                return Starting();
            return Results.Json(await DashboardApi.ClientsAsync(node, first, (int)size), DashboardJson.Default.ClientsModel);
        });
        api.MapGet("/rooms", (RelayNodeService service, string? after, string? limit) =>
        {
            if (!TryNumber(limit, 1, DashboardApi.MaxPageSize, DashboardApi.DefaultPageSize, out var size))
                return BadRequest($"limit must be a whole number from 1 to {DashboardApi.MaxPageSize}");
            return WithNode(service, node => Results.Json(DashboardApi.Rooms(node, after ?? "", (int)size), DashboardJson.Default.RoomsModel));
        });
        var streams = new EventStreams(settings.MaxEventStreams);
        api.MapGet("/events", (HttpContext context, RelayNodeService service) => StreamOverviewAsync(context, service, settings.ReportInterval, streams));

        app.Map("/ws", (HttpContext context, RelayNodeService service) => ServeChatAsync(context, service));
    }

    /// <summary>The overview as server-sent events, one per report interval, until the page goes away.</summary>
    private static async Task StreamOverviewAsync(HttpContext context, RelayNodeService service, TimeSpan interval, EventStreams streams)
    {
        var response = context.Response;
        if (!streams.TryOpen())
        {
            response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await response.WriteAsJsonAsync(new ErrorModel("too many dashboard pages are open (relay.dashboard.max-event-streams)"), DashboardJson.Default.ErrorModel);
            return;
        }

        try
        {
            await WriteOverviewsAsync(context, service, interval);
        }
        finally
        {
            streams.Close();
        }
    }

    private static async Task WriteOverviewsAsync(HttpContext context, RelayNodeService service, TimeSpan interval)
    {
        var response = context.Response;
        response.Headers.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        var cancellation = context.RequestAborted;
        using var timer = new PeriodicTimer(interval);
        try
        {
            // A page whose stream broke asks again after this long.
            await response.WriteAsync("retry: 2000\n\n", cancellation);
            do
            {
                if (service.Node is { } node)
                {
                    var json = JsonSerializer.Serialize(DashboardApi.Overview(node), DashboardJson.Default.OverviewModel);
                    await response.WriteAsync($"event: overview\ndata: {json}\n\n", cancellation);
                    await response.Body.FlushAsync(cancellation);
                }
            }
            while (await timer.WaitForNextTickAsync(cancellation));
        }
        catch (OperationCanceledException)
        {
            // The page closed the stream.
        }
    }

    /// <summary>A browser chat client: the WebSocket is served as a client of the node until it closes.</summary>
    private static async Task ServeChatAsync(HttpContext context, RelayNodeService service)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsJsonAsync(new ErrorModel("/ws takes WebSocket connections (JSON objects, docs/protocol.md)"), DashboardJson.Default.ErrorModel);
            return;
        }

        if (service.Node is not { } node)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await context.Response.WriteAsJsonAsync(new ErrorModel("the node is starting: joining the cluster"), DashboardJson.Default.ErrorModel);
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var remote = $"{context.Connection.RemoteIpAddress}:{context.Connection.RemotePort}";
        node.WebSockets.Tell(new ServeWebSocket(socket, remote, done), Akka.Actor.ActorRefs.NoSender);
        await done.Task;
    }

    private static bool TryNumber(string? text, long least, long most, long absent, out long value)
    {
        if (text is null)
        {
            value = absent;
            return true;
        }

        return long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value) && value >= least && value <= most;
    }

    private static IResult WithNode(RelayNodeService service, Func<RelayNode, IResult> answer) =>
        service.Node is { } node ? answer(node) : Starting();

    private static IResult Starting() =>
        Results.Json(new ErrorModel("the node is starting: joining the cluster"), DashboardJson.Default.ErrorModel, statusCode: StatusCodes.Status503ServiceUnavailable);

    private static IResult BadRequest(string error) =>
        Results.Json(new ErrorModel(error), DashboardJson.Default.ErrorModel, statusCode: StatusCodes.Status400BadRequest);
}
