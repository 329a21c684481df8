using Atlas.Core.Auth;
using Atlas.Functions.Auth;
using Atlas.Functions.Lifecycles;

namespace Atlas.Functions.Notifications;

/// <summary>Carries out <see cref="SendSignInCode"/>: opens the sealed code and texts it. The code is never logged.</summary>
public sealed class SignInCodeDelivery(SignInCodes codes, ISmsSender sms, ChallengeDecider challenges) : IEffectHandler<SendSignInCode>
{
    public const string Kind = "sign-in-code";

    public async Task<object?> HandleAsync(SendSignInCode effect, EffectContext context, CancellationToken ct)
    {
        var code = codes.Open(context.InstanceId, effect.SealedCode);
        var minutes = challenges.Rules.CodeLifetime.TotalMinutes;
        var body = $"{code} is your Atlas sign-in code. It expires in {minutes:0} minutes; never share it.";
        await sms.SendAsync(new SmsMessage(effect.Phone, body, Kind), context.EffectId, ct);
        return null;
    }
}
