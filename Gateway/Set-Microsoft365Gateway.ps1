<#
.SYNOPSIS
    Connects a Microsoft 365 tenant to one or more `eea gateway` hosts: an outbound connector that sends mail for
    external recipients through the gateways, and an inbound connector that accepts mail from the gateways only
    over TLS with the gateways' certificate.

.DESCRIPTION
    Run it in Exchange Online PowerShell (Connect-ExchangeOnline first), as an Exchange administrator. It creates or
    updates two connectors; running it twice changes nothing the second time. -WhatIf shows every change without
    making it; -Confirm asks before each.

      1. Outbound connector (New-/Set-OutboundConnector): ConnectorType Partner, RecipientDomains (default '*', all
         external recipients), SmartHosts = the gateways (several gateways share the load and stand in for each
         other), UseMXRecord off, TlsSettings DomainValidation with TlsDomain = the gateways' certificate name, so
         Exchange Online only hands mail to a gateway that proves that name.
      2. Inbound connector (New-/Set-InboundConnector): ConnectorType Partner, SenderDomains '*', RequireTls and
         RestrictDomainsToCertificate on, TlsSenderCertificateName = the gateways' certificate name: mail the
         gateways deliver to the tenant (inbound Internet mail after decryption) is accepted only from them.

    The gateway itself tells mail from the tenant from mail from the Internet by the Postfix listener it arrives
    on (docs/microsoft-365.md); this script does not touch DNS. It returns one object per connector saying what
    was done, and one object per accepted domain saying where its MX must point when Internet mail is to pass
    through the gateways too (inbound decryption).

.PARAMETER GatewayHosts
    The fully qualified names of the gateways (Postfix in front of `eea gateway`), e.g. gw1.contoso.com.

.PARAMETER CertificateName
    The name on the gateways' TLS certificate (subject or subject alternative name), e.g. gateway.contoso.com or
    *.gateway.contoso.com. Exchange Online checks it in both directions.

.PARAMETER RecipientDomains
    The recipient domains the outbound connector routes through the gateways. Default '*': every external
    recipient.

.PARAMETER OutboundConnectorName
    Name of the outbound connector. Default 'ExchangeEncryptionAgent Gateway outbound'.

.PARAMETER InboundConnectorName
    Name of the inbound connector. Default 'ExchangeEncryptionAgent Gateway inbound'.

.EXAMPLE
    Connect-ExchangeOnline
    .\Set-Microsoft365Gateway.ps1 -GatewayHosts gw1.contoso.com, gw2.contoso.com -CertificateName gateway.contoso.com -WhatIf

    Shows what would be created or changed, changes nothing.

.EXAMPLE
    .\Set-Microsoft365Gateway.ps1 -GatewayHosts gw1.contoso.com, gw2.contoso.com -CertificateName gateway.contoso.com

    Creates or updates both connectors and lists the MX records to set for inbound mail.

.NOTES
    Mail Exchange Online sends to the gateway is tested by Exchange Online when a connector is created; run
    Validate-OutboundConnector afterwards to test it again. See docs/microsoft-365.md.
#>
[CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'Medium')]
param(
    [Parameter(Mandatory = $true)]
    [ValidateNotNullOrEmpty()]
    [string[]] $GatewayHosts,

    [Parameter(Mandatory = $true)]
    [ValidatePattern('^(\*\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$')]
    [string] $CertificateName,

    [ValidateNotNullOrEmpty()]
    [string[]] $RecipientDomains = @('*'),

    [ValidateNotNullOrEmpty()]
    [string] $OutboundConnectorName = 'ExchangeEncryptionAgent Gateway outbound',

    [ValidateNotNullOrEmpty()]
    [string] $InboundConnectorName = 'ExchangeEncryptionAgent Gateway inbound'
)

Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'

function Test-SameSet {
    # True when both lists hold the same values, whatever their order and case (Exchange returns its own objects).
    param($Current, [string[]] $Desired)
    $have = @(@($Current) | Where-Object { $null -ne $_ } | ForEach-Object { ([string]$_).ToLowerInvariant() } | Sort-Object -Unique)
    $want = @($Desired | ForEach-Object { $_.ToLowerInvariant() } | Sort-Object -Unique)
    return (($have -join "`n") -eq ($want -join "`n"))
}

function Get-Difference {
    # The names of the settings in $Desired that $Current does not have yet.
    param($Current, [hashtable] $Desired)
    $different = @()
    foreach ($name in ($Desired.Keys | Sort-Object)) {
        $want = $Desired[$name]
        $have = $null
        if ($Current.PSObject.Properties[$name]) { $have = $Current.$name }
        if ($want -is [array]) {
            if (-not (Test-SameSet -Current $have -Desired $want)) { $different += $name }
        }
        elseif ([string]$have -ne [string]$want) {
            $different += $name
        }
    }
    return $different
}

function Set-Connector {
    # Creates the connector, or updates only the settings that differ; returns what was done.
    param([string] $Kind, [string] $Name, [hashtable] $Desired)
    $current = & "Get-$($Kind)Connector" -Identity $Name -ErrorAction SilentlyContinue
    if ($null -eq $current) {
        if ($PSCmdlet.ShouldProcess($Name, "New-$($Kind)Connector")) {
            & "New-$($Kind)Connector" -Name $Name @Desired | Out-Null
            return [pscustomobject]@{ Kind = "$($Kind)Connector"; Name = $Name; Action = 'Created'; Changed = @($Desired.Keys | Sort-Object) }
        }
        return [pscustomobject]@{ Kind = "$($Kind)Connector"; Name = $Name; Action = 'WouldCreate'; Changed = @($Desired.Keys | Sort-Object) }
    }

    $changed = @(Get-Difference -Current $current -Desired $Desired)
    if ($changed.Count -eq 0) {
        return [pscustomobject]@{ Kind = "$($Kind)Connector"; Name = $Name; Action = 'Unchanged'; Changed = @() }
    }

    $update = @{}
    foreach ($key in $changed) { $update[$key] = $Desired[$key] }
    if ($PSCmdlet.ShouldProcess($Name, "Set-$($Kind)Connector $($changed -join ', ')")) {
        & "Set-$($Kind)Connector" -Identity $Name @update | Out-Null
        return [pscustomobject]@{ Kind = "$($Kind)Connector"; Name = $Name; Action = 'Updated'; Changed = $changed }
    }
    return [pscustomobject]@{ Kind = "$($Kind)Connector"; Name = $Name; Action = 'WouldUpdate'; Changed = $changed }
}

$required = @('Get-OutboundConnector', 'New-OutboundConnector', 'Set-OutboundConnector', 'Get-InboundConnector', 'New-InboundConnector', 'Set-InboundConnector', 'Get-AcceptedDomain')
$missing = @($required | Where-Object { -not (Get-Command -Name $_ -ErrorAction SilentlyContinue) })
if ($missing.Count -gt 0) {
    throw "The Exchange Online cmdlets are not available ($($missing -join ', ')). Install the ExchangeOnlineManagement module and run Connect-ExchangeOnline first."
}

# Exchange Online verifies the gateway's certificate against this name before it hands over any message.
$outbound = @{
    ConnectorType         = 'Partner'
    RecipientDomains      = $RecipientDomains
    SmartHosts            = $GatewayHosts
    UseMXRecord           = $false
    TlsSettings           = 'DomainValidation'
    TlsDomain             = $CertificateName
    IsTransportRuleScoped = $false
    Enabled               = $true
    Comment               = 'Mail to external recipients passes through the ExchangeEncryptionAgent gateway (S/MIME policy).'
}

# Only the gateways (TLS with their certificate) may deliver through this connector.
$inbound = @{
    ConnectorType                = 'Partner'
    SenderDomains                = @('*')
    RequireTls                   = $true
    RestrictDomainsToCertificate = $true
    TlsSenderCertificateName     = $CertificateName
    Enabled                      = $true
    Comment                      = 'Mail delivered by the ExchangeEncryptionAgent gateway (decrypted inbound S/MIME).'
}

Set-Connector -Kind 'Outbound' -Name $OutboundConnectorName -Desired $outbound
Set-Connector -Kind 'Inbound' -Name $InboundConnectorName -Desired $inbound

# DNS is outside Exchange Online: say what the MX records must be for Internet mail to reach the gateways first.
foreach ($domain in @(Get-AcceptedDomain)) {
    # One preference for every gateway: senders spread over them, and each takes over when another is down.
    foreach ($gatewayHost in $GatewayHosts) {
        [pscustomobject]@{ Kind = 'MxRecord'; Name = [string]$domain.DomainName; Action = 'SetInDns'; Changed = @("MX 10 $gatewayHost") }
    }
}
