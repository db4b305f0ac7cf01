import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsObject, IsOptional, IsString, Length, Min, ValidateNested } from 'class-validator';

export class ExtensionEntryDto {
  /**
   * A manager's VoIP identity: a phone number (→ E.164), `sip:user@host`, a Twilio client identity (`client:name` or a
   * bare name of letters, digits and `_`) or a 2–8 digit PBX extension. Normalised by the controller.
   */
  @IsString()
  @Length(1, 128)
  extension!: string;

  @IsInt()
  @Min(1)
  userId!: number;
}

/** Either the admin page's table, or Kommo's `users` settings field (`{"<userId>": "<identity>"}`, "" = none). */
export class ReplaceExtensionsDto {
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(2000)
  @ValidateNested({ each: true })
  @Type(() => ExtensionEntryDto)
  extensions?: ExtensionEntryDto[];

  @IsOptional()
  @IsObject()
  users?: Record<string, unknown>;
}
