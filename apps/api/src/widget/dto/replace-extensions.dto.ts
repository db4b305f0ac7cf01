import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsString, Length, Min, ValidateNested } from 'class-validator';

export class ExtensionEntryDto {
  /** Extension number ("101"), Twilio client identity ("manager-1002") or SIP user. */
  @IsString()
  @Length(1, 128)
  extension!: string;

  @IsInt()
  @Min(1)
  userId!: number;
}

export class ReplaceExtensionsDto {
  @IsArray()
  @ArrayMaxSize(2000)
  @ValidateNested({ each: true })
  @Type(() => ExtensionEntryDto)
  extensions!: ExtensionEntryDto[];
}
