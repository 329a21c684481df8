namespace Atlas.FakeStripe;

/// <summary>`./atlas run` starts this when no Stripe key is configured: Stripe's API on http://127.0.0.1:12111
/// (stripe-mock's port), posting signed webhooks to the app.</summary>
internal static class FakeStripeProgram
{
    public static async Task Main(string[] args)
    {
        var config = new ConfigurationBuilder().AddCommandLine(args).AddEnvironmentVariables("FAKESTRIPE_").Build();
        var defaults = new FakeStripeOptions();
        var options = new FakeStripeOptions(
            Port: int.TryParse(config["port"], out var port) ? port : 12111,
            ApiKey: config["apiKey"] ?? defaults.ApiKey,
            WebhookSecret: config["webhookSecret"] ?? defaults.WebhookSecret,
            WebhookUrl: config["webhookUrl"],
            DataFolder: config["dataFolder"]);
        await using var server = await FakeStripeServer.StartAsync(options);
        Console.WriteLine($"fake stripe: listening on {server.BaseUrl}, webhooks to {options.WebhookUrl ?? "(none)"}, state in {options.DataFolder ?? "memory"}");

        // Until Ctrl-C or SIGTERM (which `./atlas run` sends when it stops).
        await server.WaitForShutdownAsync();
    }
}
