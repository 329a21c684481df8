namespace Atlas.Functions.Hosting;

public enum HostingMode
{
    /// <summary>No Functions host: the app serves HTTP itself and drives its own queue and timer triggers.</summary>
    Standalone,

    /// <summary>Started by the Azure Functions host, which forwards HTTP and POSTs other triggers to /{FunctionName}.</summary>
    CustomHandler,
}

/// <summary>How the app is hosted (configuration section "Hosting").</summary>
public sealed class HostingOptions
{
    public const string Section = "Hosting";

    /// <summary>The Functions host tells a custom handler which port to listen on through this variable.</summary>
    public const string CustomHandlerPortVariable = "FUNCTIONS_CUSTOMHANDLER_PORT";

    public HostingMode Mode { get; set; }

    /// <summary>In standalone mode, whether queue pollers and timers run. Tests turn them off and drive
    /// the triggers themselves.</summary>
    public bool RunTriggers { get; set; } = true;

    public static HostingMode Detect(IConfiguration configuration) =>
        configuration.GetValue<HostingMode?>($"{Section}:{nameof(Mode)}")
        ?? (string.IsNullOrEmpty(configuration[CustomHandlerPortVariable]) ? HostingMode.Standalone : HostingMode.CustomHandler);
}
