using Akka.Actor;
using Akka.DependencyInjection;
using Akka.Dispatch;
using Akka.Event;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using AkkaLogLevel = Akka.Event.LogLevel;
using MicrosoftLogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Relay.Host.Logging;

/// <summary>
/// Akka's logger: every Akka log event becomes one Microsoft.Extensions.Logging entry, in the
/// category of the class that logged it (e.g. <c>Relay.Actors.TcpTransport.RelayListener</c>), so
/// the node's log reads as one stream with one format and one level filter.
/// </summary>
/// <remarks>
/// Akka.Hosting's own bridge logs everything under one category with Akka's text prefix
/// ("[INFO][date][thread][source]") inside the message: a second timestamp on every line.
/// </remarks>
internal sealed class AkkaLogBridge : ReceiveActor, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    private readonly ILoggerFactory _factory;
    private readonly Dictionary<string, ILogger> _loggers = new(StringComparer.Ordinal);

    public AkkaLogBridge()
    {
        _factory = DependencyResolver.For(Context.System).Resolver.GetService<ILoggerFactory>();
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<LogEvent>(Log);
    }

    private void Log(LogEvent logEvent)
    {
        var category = Category(logEvent);
        if (!_loggers.TryGetValue(category, out var logger))
            _loggers[category] = logger = _factory.CreateLogger(category);

        var level = logEvent.LogLevel() switch
        {
            AkkaLogLevel.DebugLevel => MicrosoftLogLevel.Debug,
            AkkaLogLevel.InfoLevel => MicrosoftLogLevel.Information,
            AkkaLogLevel.WarningLevel => MicrosoftLogLevel.Warning,
            _ => MicrosoftLogLevel.Error,
        };
        if (logger.IsEnabled(level))
            logger.Log(level, logEvent.Cause, "{Message}", logEvent.Message?.ToString());
    }

    /// <summary>The logging class; for Akka's own string sources ("Cluster (akka://relay)"), Akka and the source's name.</summary>
    private static string Category(LogEvent logEvent)
    {
        if (logEvent.LogClass is { } type && type != typeof(DummyClassForStringSources))
            return type.FullName ?? type.Name;
        var source = logEvent.LogSource ?? "";
        var end = source.IndexOfAny([' ', '(']);
        return "Akka." + (end > 0 ? source[..end] : source);
    }
}
