using System.Net;
using Akka.Actor;
using Akka.Configuration;
using Akka.Hosting;
using Akka.Cluster.Hosting;
using Akka.Remote.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Relay.Actors;
using Relay.Actors.Metrics;
using Relay.Host.Dashboard;
using Relay.Host.Logging;
using MicrosoftLogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Relay.Host;

/// <summary>
/// The node's process: the .NET generic host with Akka.Hosting (the actor system and cluster),
/// <see cref="RelayNodeService"/> (the relay on it) and, unless turned off, Kestrel serving the
/// dashboard, browser chat, metrics and health on the same address as the clients' port.
/// </summary>
internal static class RelayHost
{
    /// <summary>Runs a node until Ctrl+C, SIGTERM or its cluster removes it; returns the exit code.</summary>
    public static async Task<int> RunAsync(HostOptions options)
    {
        NodeConfiguration configuration;
        try
        {
            configuration = NodeConfiguration.From(options);
            RefuseTakenPorts(configuration);
        }
        catch (Exception error) when (error is InvalidOperationException or ConfigurationException or FormatException)
        {
            await Console.Error.WriteLineAsync($"relay: {error.Message}");
            return 1;
        }

        using var host = Build(configuration);
        try
        {
            // What RunAsync does, but the host stays undisposed (`using` disposes it): the actor
            // system's shutdown reason is read after.
            await host.StartAsync();
            await host.WaitForShutdownAsync();
        }
        catch (IOException error)
        {
            // Kestrel could not bind after all (the port was taken between the probe and the bind).
            await Console.Error.WriteLineAsync($"relay: {error.Message}");
            return 1;
        }

        return (configuration.Tls is null ? null : await ReportTlsStopAsync(host)) ?? Environment.ExitCode;
    }

    /// <summary>
    /// Akka.Remote stops a node whose own TLS handshake with another node failed (either side
    /// refused the other's certificate, or the other speaks no TLS) through CoordinatedShutdown,
    /// like a requested stop: say so, and exit with its code (79), or a service manager would take
    /// it for a clean stop. Null: the node stopped for another reason.
    /// </summary>
    private static async Task<int?> ReportTlsStopAsync(IHost host)
    {
        var reason = CoordinatedShutdown.Get(host.Services.GetRequiredService<ActorSystem>()).ShutdownReason;
        // Akka.Remote.Transport.DotNetty.TlsHandshakeFailureReason is internal in Akka.NET 1.5.73.
        if (reason?.GetType().Name != "TlsHandshakeFailureReason")
            return null;
        await Console.Error.WriteLineAsync(
            $"relay: stopped: {reason}. Another node and this one do not trust each other's certificates, or one of them " +
            "runs without TLS: the log above says which (docs/operations.md, \"TLS between nodes\").");
        return reason.ExitCode;
    }

    private static void RefuseTakenPorts(NodeConfiguration configuration)
    {
        var settings = configuration.Settings;
        RelayNode.RefuseTakenPorts(settings, configuration.Remote.HostName!, configuration.Remote.Port!.Value);
        if (settings.Dashboard.Port is { } port && PortProbe.IsTaken(settings.Host, port))
        {
            throw new InvalidOperationException(
                $"Dashboard port {settings.Host}:{port} is in use by another process (another node?). " +
                "Give each node on one machine its own --dashboard-port (0 turns the dashboard off).");
        }
    }

    private static IHost Build(NodeConfiguration configuration)
    {
        if (configuration.Settings.Dashboard.Port is not { } port)
        {
            var plain = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
            AddNode(plain.Services, plain.Logging, configuration);
            return plain.Build();
        }

        var web = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        AddNode(web.Services, web.Logging, configuration);
        web.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Parse(configuration.Settings.Host), port);
            // The page and its API are small GETs; nothing may upload much, nor hold a connection idle.
            kestrel.Limits.MaxRequestBodySize = 64 * 1024;
            kestrel.Limits.MaxConcurrentConnections = configuration.Settings.Dashboard.MaxConnections;
            kestrel.Limits.MaxConcurrentUpgradedConnections = configuration.Settings.WebSocket.MaxClients;
            kestrel.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(30);
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
        });
        web.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("relaychat"))
            .WithMetrics(metrics => metrics
            .AddMeter(RelayMeter.Name, "System.Runtime")
            .AddPrometheusExporter());
        var app = web.Build();
        DashboardEndpoints.Map(app, configuration.Settings.Dashboard);
        return app;
    }

    private static void AddNode(IServiceCollection services, ILoggingBuilder logging, NodeConfiguration configuration)
    {
        var level = configuration.LogLevel;
        logging.ClearProviders();
        logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss.fff ";
        });
        logging.SetMinimumLevel(MicrosoftLevel(level));
        // One warning per connection refused at the HTTP connection limit would let a flood write the log.
        logging.AddFilter("Microsoft.AspNetCore.Server.Kestrel.Connections", MicrosoftLogLevel.Error);

        services.AddSingleton(configuration);
        services.AddAkka("relay", akka =>
        {
            akka.AddHocon(RelayNode.WithExtensionDefaults(configuration.Config), HoconAddMode.Append);
            akka.WithRemoting(configuration.Remote);
            // Also with no seeds: it brings Akka.Cluster's defaults (the node then joins itself).
            akka.WithClustering(new ClusterOptions { SeedNodes = configuration.SeedNodes.Length > 0 ? configuration.SeedNodes : null });
            akka.ConfigureLoggers(loggers =>
            {
                loggers.LogLevel = AkkaLevel(level);
                loggers.ClearLoggers();
                loggers.AddLogger<AkkaLogBridge>();
            });
        });
        services.AddSingleton<RelayNodeService>();
        services.AddHostedService(provider => provider.GetRequiredService<RelayNodeService>());
    }

    private static MicrosoftLogLevel MicrosoftLevel(string level) => level switch
    {
        "DEBUG" => MicrosoftLogLevel.Debug,
        "INFO" => MicrosoftLogLevel.Information,
        "ERROR" => MicrosoftLogLevel.Error,
        _ => MicrosoftLogLevel.Warning,
    };

    private static Akka.Event.LogLevel AkkaLevel(string level) => level switch
    {
        "DEBUG" => Akka.Event.LogLevel.DebugLevel,
        "INFO" => Akka.Event.LogLevel.InfoLevel,
        "ERROR" => Akka.Event.LogLevel.ErrorLevel,
        _ => Akka.Event.LogLevel.WarningLevel,
    };
}
