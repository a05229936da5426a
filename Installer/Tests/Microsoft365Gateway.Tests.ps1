<#
    Gateway/Set-Microsoft365Gateway.ps1 with the Exchange Online cmdlets replaced by stubs and mocks: what it
    creates, that a second run changes nothing, that it corrects a drifted connector, that -WhatIf changes nothing,
    and that it stops with a clear message outside Exchange Online PowerShell.
#>
BeforeAll {
    $script:ScriptPath = Join-Path (Join-Path (Join-Path $PSScriptRoot '..') '..') (Join-Path 'Gateway' 'Set-Microsoft365Gateway.ps1')
    $script:Outbound = 'ExchangeEncryptionAgent Gateway outbound'
    $script:Inbound = 'ExchangeEncryptionAgent Gateway inbound'

    # Stand-ins with the real parameter names, so the mocks below can check each argument.
    function global:Get-OutboundConnector { param($Identity, $ErrorAction) }
    function global:New-OutboundConnector { param($Name, $ConnectorType, $RecipientDomains, $SmartHosts, $UseMXRecord, $TlsSettings, $TlsDomain, $IsTransportRuleScoped, $Enabled, $Comment) }
    function global:Set-OutboundConnector { param($Identity, $ConnectorType, $RecipientDomains, $SmartHosts, $UseMXRecord, $TlsSettings, $TlsDomain, $IsTransportRuleScoped, $Enabled, $Comment) }
    function global:Get-InboundConnector { param($Identity, $ErrorAction) }
    function global:New-InboundConnector { param($Name, $ConnectorType, $SenderDomains, $RequireTls, $RestrictDomainsToCertificate, $TlsSenderCertificateName, $Enabled, $Comment) }
    function global:Set-InboundConnector { param($Identity, $ConnectorType, $SenderDomains, $RequireTls, $RestrictDomainsToCertificate, $TlsSenderCertificateName, $Enabled, $Comment) }
    function global:Get-AcceptedDomain { param() }

    function script:Invoke-Setup {
        param([switch] $WhatIf)
        & $script:ScriptPath -GatewayHosts 'gw1.contoso.example', 'gw2.contoso.example' -CertificateName 'gateway.contoso.example' -WhatIf:$WhatIf
    }

    function script:New-ExistingOutbound {
        # What Get-OutboundConnector returns once the script has run (values as Exchange Online reports them).
        [pscustomobject]@{
            Identity = $script:Outbound; ConnectorType = 'Partner'; RecipientDomains = @('*'); SmartHosts = @('GW2.contoso.example', 'gw1.contoso.example')
            UseMXRecord = $false; TlsSettings = 'DomainValidation'; TlsDomain = 'gateway.contoso.example'; IsTransportRuleScoped = $false; Enabled = $true
            Comment = 'Mail to external recipients passes through the ExchangeEncryptionAgent gateway (S/MIME policy).'
        }
    }

    function script:New-ExistingInbound {
        [pscustomobject]@{
            Identity = $script:Inbound; ConnectorType = 'Partner'; SenderDomains = @('*'); RequireTls = $true; RestrictDomainsToCertificate = $true
            TlsSenderCertificateName = 'gateway.contoso.example'; Enabled = $true
            Comment = 'Mail delivered by the ExchangeEncryptionAgent gateway (decrypted inbound S/MIME).'
        }
    }
}

AfterAll {
    foreach ($name in 'Get-OutboundConnector', 'New-OutboundConnector', 'Set-OutboundConnector', 'Get-InboundConnector', 'New-InboundConnector', 'Set-InboundConnector', 'Get-AcceptedDomain') {
        Remove-Item -LiteralPath "Function:\$name" -ErrorAction SilentlyContinue
    }
}

Describe 'Set-Microsoft365Gateway.ps1' {
    BeforeEach {
        Mock Get-AcceptedDomain { @([pscustomobject]@{ DomainName = 'contoso.example' }, [pscustomobject]@{ DomainName = 'contoso.test' }) }
        Mock New-OutboundConnector { }
        Mock Set-OutboundConnector { }
        Mock New-InboundConnector { }
        Mock Set-InboundConnector { }
    }

    Context 'in a tenant without the connectors' {
        BeforeEach {
            Mock Get-OutboundConnector { $null }
            Mock Get-InboundConnector { $null }
        }

        It 'creates the outbound connector through the gateways, verifying their certificate name' {
            $result = Invoke-Setup
            Should -Invoke New-OutboundConnector -Times 1 -Exactly -ParameterFilter {
                $Name -eq $script:Outbound -and $ConnectorType -eq 'Partner' -and (@($RecipientDomains) -join ',') -eq '*' -and
                (@($SmartHosts) -join ',') -eq 'gw1.contoso.example,gw2.contoso.example' -and $UseMXRecord -eq $false -and
                $TlsSettings -eq 'DomainValidation' -and $TlsDomain -eq 'gateway.contoso.example' -and $Enabled -eq $true
            }
            ($result | Where-Object Kind -eq 'OutboundConnector').Action | Should -Be 'Created'
        }

        It 'creates the inbound connector that accepts only TLS with the gateways certificate' {
            $result = Invoke-Setup
            Should -Invoke New-InboundConnector -Times 1 -Exactly -ParameterFilter {
                $Name -eq $script:Inbound -and $ConnectorType -eq 'Partner' -and (@($SenderDomains) -join ',') -eq '*' -and $RequireTls -eq $true -and
                $RestrictDomainsToCertificate -eq $true -and $TlsSenderCertificateName -eq 'gateway.contoso.example'
            }
            ($result | Where-Object Kind -eq 'InboundConnector').Action | Should -Be 'Created'
        }

        It 'lists an MX record per accepted domain and gateway, all with one preference' {
            $mx = @(Invoke-Setup | Where-Object Kind -eq 'MxRecord')
            $mx.Count | Should -Be 4
            ($mx | Where-Object Name -eq 'contoso.test').Changed | Should -Be @('MX 10 gw1.contoso.example', 'MX 10 gw2.contoso.example')
        }

        It 'changes nothing with -WhatIf' {
            $result = Invoke-Setup -WhatIf
            Should -Invoke New-OutboundConnector -Times 0 -Exactly
            Should -Invoke New-InboundConnector -Times 0 -Exactly
            ($result | Where-Object Kind -eq 'OutboundConnector').Action | Should -Be 'WouldCreate'
        }
    }

    Context 'in a tenant where the script already ran' {
        BeforeEach {
            Mock Get-OutboundConnector { New-ExistingOutbound }
            Mock Get-InboundConnector { New-ExistingInbound }
        }

        It 'changes nothing the second time (idempotent)' {
            $result = Invoke-Setup
            Should -Invoke New-OutboundConnector -Times 0 -Exactly
            Should -Invoke Set-OutboundConnector -Times 0 -Exactly
            Should -Invoke New-InboundConnector -Times 0 -Exactly
            Should -Invoke Set-InboundConnector -Times 0 -Exactly
            @($result | Where-Object Kind -like '*Connector').Action | Should -Be @('Unchanged', 'Unchanged')
        }
    }

    Context 'in a tenant where someone changed the connectors' {
        BeforeEach {
            Mock Get-OutboundConnector { $c = New-ExistingOutbound; $c.SmartHosts = @('old.contoso.example'); $c.TlsSettings = 'EncryptionOnly'; $c }
            Mock Get-InboundConnector { $c = New-ExistingInbound; $c.RequireTls = $false; $c }
        }

        It 'sets back only the settings that drifted' {
            $result = Invoke-Setup
            Should -Invoke Set-OutboundConnector -Times 1 -Exactly -ParameterFilter {
                $Identity -eq $script:Outbound -and (@($SmartHosts) -join ',') -eq 'gw1.contoso.example,gw2.contoso.example' -and
                $TlsSettings -eq 'DomainValidation' -and $null -eq $TlsDomain -and $null -eq $ConnectorType
            }
            Should -Invoke Set-InboundConnector -Times 1 -Exactly -ParameterFilter { $Identity -eq $script:Inbound -and $RequireTls -eq $true -and $null -eq $SenderDomains }
            ($result | Where-Object Kind -eq 'OutboundConnector').Changed | Should -Be @('SmartHosts', 'TlsSettings')
        }

        It 'changes nothing with -WhatIf, and says what it would set' {
            $result = Invoke-Setup -WhatIf
            Should -Invoke Set-OutboundConnector -Times 0 -Exactly
            Should -Invoke Set-InboundConnector -Times 0 -Exactly
            ($result | Where-Object Kind -eq 'InboundConnector').Action | Should -Be 'WouldUpdate'
        }
    }

}

Describe 'Set-Microsoft365Gateway.ps1 outside Exchange Online PowerShell' {
    BeforeEach {
        Mock New-InboundConnector { }
        Mock Get-InboundConnector { $null }
        # As in a shell without Connect-ExchangeOnline: the outbound cmdlets do not exist.
        Remove-Item -LiteralPath 'Function:\New-OutboundConnector'
    }

    AfterEach {
        function global:New-OutboundConnector { param($Name, $ConnectorType, $RecipientDomains, $SmartHosts, $UseMXRecord, $TlsSettings, $TlsDomain, $IsTransportRuleScoped, $Enabled, $Comment) }
    }

    It 'stops before changing anything, saying to connect first' {
        { Invoke-Setup } | Should -Throw '*Connect-ExchangeOnline*'
        Should -Invoke New-InboundConnector -Times 0 -Exactly
    }

    It 'refuses a certificate name that is not a host name' {
        { & $script:ScriptPath -GatewayHosts 'gw1.contoso.example' -CertificateName 'not a name' } | Should -Throw '*CertificateName*'
    }
}
