; Inno Setup snippet: register tel:, callto: and sip: for the installing user.
; Include it from the main script ("#include "url-schemes.iss"") after [Setup] with
; PrivilegesRequired=lowest (per-user install into {localappdata}\Programs\Kobikom Desktop).
; Uninstalling removes every key (uninsdeletekey), so no stale handler points at a missing exe.

[Registry]
; Classic per-scheme keys (what browsers and CRMs look up)
Root: HKCU; Subkey: "Software\Classes\tel"; ValueType: string; ValueName: ""; ValueData: "URL:Telephone link"; Flags: uninsdeletekey
Root: HKCU; Subkey: "Software\Classes\tel"; ValueType: string; ValueName: "URL Protocol"; ValueData: ""
Root: HKCU; Subkey: "Software\Classes\tel\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: """{app}\kobikom-desktop.exe"",0"
Root: HKCU; Subkey: "Software\Classes\tel\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\kobikom-desktop.exe"" ""%1"""
Root: HKCU; Subkey: "Software\Classes\callto"; ValueType: string; ValueName: ""; ValueData: "URL:Callto link"; Flags: uninsdeletekey
Root: HKCU; Subkey: "Software\Classes\callto"; ValueType: string; ValueName: "URL Protocol"; ValueData: ""
Root: HKCU; Subkey: "Software\Classes\callto\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: """{app}\kobikom-desktop.exe"",0"
Root: HKCU; Subkey: "Software\Classes\callto\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\kobikom-desktop.exe"" ""%1"""
Root: HKCU; Subkey: "Software\Classes\sip"; ValueType: string; ValueName: ""; ValueData: "URL:SIP link"; Flags: uninsdeletekey
Root: HKCU; Subkey: "Software\Classes\sip"; ValueType: string; ValueName: "URL Protocol"; ValueData: ""
Root: HKCU; Subkey: "Software\Classes\sip\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: """{app}\kobikom-desktop.exe"",0"
Root: HKCU; Subkey: "Software\Classes\sip\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\kobikom-desktop.exe"" ""%1"""
; Windows 10/11 "Default apps -> Choose defaults by link type" lists the app through these
Root: HKCU; Subkey: "Software\Classes\KobikomDesktop.Link"; ValueType: string; ValueName: ""; ValueData: "Kobikom Desktop link"; Flags: uninsdeletekey
Root: HKCU; Subkey: "Software\Classes\KobikomDesktop.Link\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\kobikom-desktop.exe"" ""%1"""
Root: HKCU; Subkey: "Software\Kobikom\Kobikom Desktop\Capabilities"; ValueType: string; ValueName: "ApplicationName"; ValueData: "Kobikom Desktop"; Flags: uninsdeletekey
Root: HKCU; Subkey: "Software\Kobikom\Kobikom Desktop\Capabilities"; ValueType: string; ValueName: "ApplicationDescription"; ValueData: "Call phone numbers through your Kobikom PBX"
Root: HKCU; Subkey: "Software\Kobikom\Kobikom Desktop\Capabilities\URLAssociations"; ValueType: string; ValueName: "tel"; ValueData: "KobikomDesktop.Link"
Root: HKCU; Subkey: "Software\Kobikom\Kobikom Desktop\Capabilities\URLAssociations"; ValueType: string; ValueName: "callto"; ValueData: "KobikomDesktop.Link"
Root: HKCU; Subkey: "Software\Kobikom\Kobikom Desktop\Capabilities\URLAssociations"; ValueType: string; ValueName: "sip"; ValueData: "KobikomDesktop.Link"
Root: HKCU; Subkey: "Software\RegisteredApplications"; ValueType: string; ValueName: "Kobikom Desktop"; ValueData: "Software\Kobikom\Kobikom Desktop\Capabilities"; Flags: uninsdeletevalue
