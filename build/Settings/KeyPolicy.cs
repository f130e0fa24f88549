namespace Build.Settings;

/// <summary>What KeyCheck's error findings do: fail the check, only be reported, or KeyCheck does not run.</summary>
public enum KeyPolicy
{
    Enforce,
    Warn,
    Off,
}
