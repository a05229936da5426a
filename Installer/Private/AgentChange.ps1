# The checks Install-EncryptionAgent and Update-EncryptionAgent make before they change anything, in one order.

function Confirm-AgentChange {
    # Returns what both go on with: the setup context, the registration (null before a first install), the policy
    # to activate and the binary changes. Throws, with nothing changed, on the first check that fails. Checked here,
    # not when Set-TransportAgent runs: on a version change that is inside the window where the transport service is
    # stopped, and a refusal there would cost a rollback.
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)]
        [ValidateSet('Install', 'Upgrade')]
        [string] $Action,
        [Parameter(Mandatory)]
        [string] $PackageRoot,
        [string] $InstallPath,
        [string] $PolicyPath,
        [Nullable[int]] $Priority,
        [string] $TransportService,
        [switch] $SkipForcedTlsConnector,
        [Parameter(Mandatory)]
        [string[]] $AgentCmdlet
    )

    Assert-SetupPrerequisite
    $setup = New-SetupContext -PackageRoot $PackageRoot -InstallPath $InstallPath -TransportService $TransportService
    $registration = Get-AgentRegistration -Setup $setup
    if ($null -ne $registration) {
        Assert-RegistrationIsOurs -Setup $setup -Registration $registration
    }
    elseif ($Action -eq 'Upgrade') {
        throw "$script:AgentName is not installed on this server ($($setup.TransportService) transport service). Nothing was changed. Run install.ps1 -Action Install."
    }

    Assert-PriorityInRange -Setup $setup -Priority $Priority -Registration $registration
    $policy = Resolve-PolicyToActivate -Setup $setup -PolicyPath $PolicyPath
    Assert-ExchangePermission -Setup $setup -AgentCmdlet $AgentCmdlet -ConnectorCmdlet (Get-ConnectorCmdlet -Setup $setup -Policy $policy -Skip:$SkipForcedTlsConnector)
    $binaryChanges = @(Get-AgentBinaryChange -Setup $setup)
    [pscustomobject]@{
        Setup          = $setup
        Registration   = $registration
        Policy         = $policy
        BinaryChanges  = $binaryChanges
        VersionChanges = @($binaryChanges | Where-Object { $_.NeedsRestart })
    }
}
